/**
 * Reads a workerd config (a binary Cap'n Proto message, as miniflare writes it to workerd's stdin) from stdin and
 * writes it to stdout with `Config.v8Flags` (field number 2, the root struct's third pointer) set to the flags given as
 * arguments. Used by scripts/bench/workerd-with-flags only; see there for why.
 *
 * The edit decodes nothing but the root pointer: the flags go into a new last segment (a list of text pointers and
 * the NUL-terminated texts), and the root struct's null v8Flags slot becomes a single far pointer to a landing pad at
 * that segment's word 0. The existing segments are copied byte for byte, so module sources, wasm and every other field
 * stay exactly as miniflare encoded them. Encoding: https://capnproto.org/encoding.html (stream framing, struct, list
 * and far pointers).
 */
import { readFileSync, writeSync } from "node:fs";

const flags = process.argv.slice(2);
const input = readFileSync(0);
/** @param {string} why @returns {never} */
const fail = (why) => {
  process.stderr.write(`workerd-v8-flags: ${why}\n`);
  process.exit(70);
};

// ---- the stream framing: (segment count − 1), the sizes in words, padding to a word, the segments
const count = input.readUInt32LE(0) + 1;
if (count > 512) fail(`implausible segment count ${count} (is this a packed or text config?)`);
const sizes = [];
for (let i = 0; i < count; i++) sizes.push(input.readUInt32LE(4 + 4 * i));
let headerBytes = 4 + 4 * count;
headerBytes += headerBytes % 8;
const at = headerBytes + 8 * sizes.reduce((n, w) => n + w, 0);
if (at !== input.length) fail(`framing says ${at} bytes, got ${input.length}`);

// ---- the root pointer (segment 0, word 0) and the Config struct it points to
const seg0 = headerBytes; // segment 0 follows the framing
const lo = input.readUInt32LE(seg0);
const hi = input.readUInt32LE(seg0 + 4);
if ((lo & 3) !== 0) fail(`the root pointer is not a struct pointer (kind ${lo & 3}); far roots are not handled`);
const offset = lo >> 2; // signed 30-bit word offset from the end of the pointer
const dataWords = hi & 0xffff;
const ptrWords = hi >>> 16;
if (ptrWords < 3) fail(`the root struct has ${ptrWords} pointers; v8Flags is the third`);
const slot = seg0 + 8 * (1 + offset + dataWords + 2);
if (input.readUInt32LE(slot) !== 0 || input.readUInt32LE(slot + 4) !== 0) fail("v8Flags is already set in this config");

// ---- the new segment: [landing pad: list of N pointers][N text pointers][texts, each NUL-terminated, word-padded]
const texts = flags.map((f) => Buffer.from(f + "\0", "utf8"));
const words = 1 + flags.length + texts.reduce((n, t) => n + Math.ceil(t.length / 8), 0);
const seg = Buffer.alloc(words * 8);
// Landing pad (word 0): a list pointer, elements start right after it (offset 0), element size 6 = pointer.
seg.writeUInt32LE(1, 0);
seg.writeUInt32LE((flags.length << 3) | 6, 4);
let textAt = 1 + flags.length;
texts.forEach((text, i) => {
  const p = 1 + i; // this pointer's word
  const off = textAt - (p + 1);
  seg.writeUInt32LE(((off << 2) | 1) >>> 0, p * 8);
  seg.writeUInt32LE(((text.length << 3) | 2) >>> 0, p * 8 + 4); // element size 2 = byte; count includes the NUL
  text.copy(seg, textAt * 8);
  textAt += Math.ceil(text.length / 8);
});

// ---- the output: new framing, old segments unchanged but for the root's v8Flags slot, the new segment last
const newCount = count + 1;
let newHeader = 4 + 4 * newCount;
newHeader += newHeader % 8;
const header = Buffer.alloc(newHeader);
header.writeUInt32LE(newCount - 1, 0);
sizes.forEach((w, i) => header.writeUInt32LE(w, 4 + 4 * i));
header.writeUInt32LE(words, 4 + 4 * count);
const body = Buffer.from(input.subarray(headerBytes));
const s = slot - headerBytes;
body.writeUInt32LE(2, s); // far pointer, single landing pad, at word 0 of the target segment
body.writeUInt32LE(count, s + 4); // the target segment's id: the new last one
for (const b of [header, body, seg]) {
  for (let o = 0; o < b.length; ) o += writeSync(1, b, o);
}
