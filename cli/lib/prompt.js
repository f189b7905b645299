/** Questions on a terminal: a plain one, and a secret one whose answer is not echoed (API keys). */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

/**
 * @param {string} question
 * @param {{ secret?: boolean, input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream }} [options]
 * @returns {Promise<string>}
 */
export function ask(question, options = {}) {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  let muted = false;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) output.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: /** @type {NodeJS.ReadStream} */ (input).isTTY === true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (options.secret) output.write("\n");
      resolve(answer.trim());
    });
    if (options.secret) muted = true;
  });
}
