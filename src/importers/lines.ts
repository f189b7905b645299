/**
 * Splits text that arrives in chunks into lines, numbered from 1, without ever holding more than the current
 * unfinished line: a 50 MB transcript is read line by line as it streams in. `\r\n` ends a line like `\n`.
 */
export class LineSplitter {
  private rest = "";
  private n = 0;

  constructor(private readonly emit: (line: string, lineNo: number) => void) {}

  push(chunk: string): void {
    let text = this.rest + chunk;
    if (this.n === 0 && this.rest === "" && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.emit(text.slice(start, end), ++this.n);
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  /** The last line, which a file need not end with a newline. */
  end(): void {
    if (this.rest !== "") this.emit(this.rest.endsWith("\r") ? this.rest.slice(0, -1) : this.rest, ++this.n);
    this.rest = "";
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
