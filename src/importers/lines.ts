/**
 * Splits text that arrives in chunks into lines, numbered from 1, without ever holding more than the current
 * unfinished line: a 50 MB transcript is read line by line as it streams in. `\r\n` ends a line like `\n`.
 */
export class LineSplitter {
  /** The unfinished line, in the pieces it arrived in: a 10 MB line is joined once, not rescanned per chunk. */
  private rest: string[] = [];
  private started = false;
  private n = 0;

  constructor(private readonly emit: (line: string, lineNo: number) => void) {}

  push(chunk: string): void {
    if (chunk === "") return;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (let nl = chunk.indexOf("\n"); nl !== -1; nl = chunk.indexOf("\n", start)) {
      let line = chunk.slice(start, nl);
      if (this.rest.length > 0) {
        this.rest.push(line);
        line = this.rest.join("");
        this.rest = [];
      }
      this.emit(line.endsWith("\r") ? line.slice(0, -1) : line, ++this.n);
      start = nl + 1;
    }
    if (start < chunk.length) this.rest.push(chunk.slice(start));
  }

  /** The last line, which a file need not end with a newline. */
  end(): void {
    const last = this.rest.join("");
    this.rest = [];
    if (last !== "") this.emit(last.endsWith("\r") ? last.slice(0, -1) : last, ++this.n);
  }

  /** Lines emitted so far. */
  get lines(): number {
    return this.n;
  }
}

/** Splits a whole text into lines (for tests and small inputs): the same rules as streaming it. */
export function feedLines(text: string, onLine: (line: string, lineNo: number) => void, chunkSize = text.length || 1): number {
  const splitter = new LineSplitter(onLine);
  for (let i = 0; i < text.length; i += chunkSize) splitter.push(text.slice(i, i + chunkSize));
  splitter.end();
  return splitter.lines;
}
