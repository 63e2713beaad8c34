/**
 * Parses systemd unit text the way Ignition does: with go-systemd's `unit.DeserializeOptions`.
 *
 * systemd itself is far more forgiving, but Ignition rejects what this lexer rejects, so we
 * reproduce its state machine, its error texts ("unable to find end of section", "EOF", ...)
 * and even its 4 KiB bufio buffering, which decides when the 2048-byte line limit is noticed.
 */
import { goDecodeRune, goFullRune, goIsSpace, goQuote, goTrimSpace } from './go-text.ts';
import { readSimpleUnit } from './simple-unit.ts';
import { IGNITION_ERRORS as E } from './errors.ts';

export interface UnitOption {
  section: string;
  name: string;
  value: string;
}

export type UnitParseResult = { readonly ok: true; readonly options: readonly UnitOption[] } | { readonly ok: false; readonly error: string };

const BUFFER_SIZE = 4096; // bufio.NewReader default
const LINE_MAX = 2048; // go-systemd SYSTEMD_LINE_MAX

class UnitSyntaxError extends Error {}

/** bufio.Reader over an in-memory string, tracking absolute offsets. */
class BufferedReader {
  private r = 0;
  private w = 0;
  private eof = false;
  private lastRuneSize = -1;
  constructor(private readonly data: Uint8Array) {}

  buffered(): number {
    return this.w - this.r;
  }

  private fill(): void {
    const n = Math.min(BUFFER_SIZE - (this.w - this.r), this.data.length - this.w);
    if (n === 0) this.eof = true;
    else this.w += n;
  }

  /** Peek without filling: only called when at least n bytes are buffered. */
  peek(n: number): Uint8Array {
    return this.data.subarray(this.r, this.r + n);
  }

  /** Returns the rune, or null at EOF. */
  readRune(): number | null {
    while (
      this.r + 4 > this.w &&
      !goFullRune(this.data, this.r, this.w) &&
      !this.eof &&
      this.w - this.r < BUFFER_SIZE
    ) {
      this.fill();
    }
    this.lastRuneSize = -1;
    if (this.r === this.w) return null;
    const [rune, width] = goDecodeRune(this.data, this.r, this.w);
    this.r += width;
    this.lastRuneSize = width;
    return rune;
  }

  unreadRune(): void {
    if (this.lastRuneSize >= 0) this.r -= this.lastRuneSize;
    this.lastRuneSize = -1;
  }

  /** bufio ReadBytes: up to and including delim; atEof when the data ran out first. */
  readBytes(delim: number): { bytes: Uint8Array; atEof: boolean } {
    const start = this.r;
    let scanned = 0;
    for (;;) {
      const idx = this.data.subarray(this.r + scanned, this.w).indexOf(delim);
      if (idx >= 0) {
        this.r += scanned + idx + 1;
        this.lastRuneSize = -1;
        return { bytes: this.data.subarray(start, this.r), atEof: false };
      }
      if (this.eof) {
        this.r = this.w;
        this.lastRuneSize = -1;
        return { bytes: this.data.subarray(start, this.r), atEof: true };
      }
      if (this.buffered() >= BUFFER_SIZE) {
        // ErrBufferFull: ReadBytes keeps the fragment and carries on.
        this.r = this.w;
        scanned = 0;
        continue;
      }
      scanned = this.w - this.r;
      this.fill();
    }
  }
}

const NL = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder();

type Step = () => Step | null;

/**
 * go-systemd's reader. Callers that read the same texts again remember the results
 * (ValidationMemory.unitContents), except for a text seen once (a unit that carries the node's
 * name), where hashing it for the table and keeping it alive would cost more than reading it.
 */
export function readUnitContents(contents: string): UnitParseResult {
  return readSimpleUnit(contents) ?? deserializeOptions(contents);
}

/** go-systemd `DeserializeOptions`, for every text (readSimpleUnit only takes the simplest); never throws. */
export function deserializeOptions(contents: string): UnitParseResult {
  const data = new TextEncoder().encode(contents);
  const buf = new BufferedReader(data);
  const options: UnitOption[] = [];

  const toEOL = (): { line: Uint8Array; atEof: boolean } => {
    const { bytes, atEof } = buf.readBytes(NL);
    // go-systemd trims a trailing "\r" *before* the "\n", so a CRLF line keeps its "\r"
    // (and a backslash before it is no continuation); only a final "\r" at EOF goes.
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    if (end > 0 && bytes[end - 1] === NL) end--;
    return { line: bytes.subarray(0, end), atEof };
  };

  const ignoreLine = (next: Step): Step => () => {
    for (;;) {
      const { line } = toEOL();
      let end = line.length;
      if (end > 0 && line[end - 1] === 0x20) end--;
      if (!(end > 0 && line[end - 1] === 0x5c)) break;
      if (line.length === 0) break;
    }
    return next;
  };

  const isComment = (r: number): boolean => r === 0x23 || r === 0x3b; // '#', ';'

  const nextSection: Step = () => {
    const r = buf.readRune();
    if (r === null) return null;
    if (r === 0x5b) return sectionName;
    if (isComment(r)) return ignoreLine(nextSection);
    return nextSection;
  };

  const sectionName: Step = () => {
    const { bytes, atEof } = buf.readBytes(0x5d); // ']'
    if (atEof) throw new UnitSyntaxError(E.unitSectionEnd.message);
    return sectionSuffix(decoder.decode(bytes.subarray(0, bytes.length - 1)));
  };

  const sectionSuffix = (section: string): Step => () => {
    const { line } = toEOL();
    const garbage = goTrimSpace(line);
    if (garbage.length > 0) {
      // go-systemd formats a section field it never assigns, so the name is always empty.
      throw new UnitSyntaxError(E.unitSectionGarbage.with(goQuote(garbage)).message);
    }
    return nextSectionOrOption(section);
  };

  const nextSectionOrOption = (section: string): Step => () => {
    const r = buf.readRune();
    if (r === null) return null;
    if (goIsSpace(r)) return nextSectionOrOption(section);
    if (r === 0x5b) return sectionName;
    if (isComment(r)) return ignoreLine(nextSectionOrOption(section));
    buf.unreadRune();
    return optionName(section);
  };

  const optionName = (section: string): Step => () => {
    let name = '';
    for (;;) {
      const r = buf.readRune();
      if (r === null) throw new UnitSyntaxError(E.unitEof.message);
      if (r === NL || r === CR) {
        throw new UnitSyntaxError(E.unitNewlineInName.message);
      }
      if (r === 0x3d) break; // '='
      name += String.fromCodePoint(r);
    }
    const trimmed = decoder.decode(goTrimSpace(new TextEncoder().encode(name)));
    return optionValue(section, trimmed, '');
  };

  const optionValue = (section: string, name: string, partial: string): Step => () => {
    let value = partial;
    for (;;) {
      const { line, atEof } = toEOL();
      if (goTrimSpace(line).length === 0) break;
      value += decoder.decode(line);
      const last = line.lastIndexOf(0x5c);
      if (last === -1 || last !== line.length - 1) break;
      if (!atEof) value += '\n';
      return optionValue(section, name, value);
    }
    const trimmed = decoder.decode(goTrimSpace(new TextEncoder().encode(value)));
    options.push({ section, name, value: value.endsWith('\n') ? trimmed + '\n' : trimmed });
    return nextSectionOrOption(section);
  };

  try {
    let step: Step | null = nextSection;
    while (step) {
      if (buf.buffered() >= LINE_MAX) {
        // systemd truncates long lines; go-systemd refuses them, but only looks when the
        // buffer happens to hold LINE_MAX bytes, which is why we emulate bufio at all.
        const window = buf.peek(LINE_MAX);
        if (!window.includes(NL) && !window.includes(CR)) {
          throw new UnitSyntaxError(E.unitLineTooLong.with(LINE_MAX).message);
        }
      }
      step = step();
    }
  } catch (err) {
    if (err instanceof UnitSyntaxError) return { ok: false, error: err.message };
    throw err;
  }
  return { ok: true, options };
}
