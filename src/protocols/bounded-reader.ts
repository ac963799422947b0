/**
 * Bounded big-endian cursor over one complete message (a CQL frame body, a Kafka response): every read checks the
 * bytes left and throws a plain Error past the end, naming the protocol. Lengths and counts come from the server,
 * so nothing is read, sliced or looped over before it is known to fit. (src/protocols/reader.ts is the other kind:
 * a framer's cursor over a buffer that may still grow, which asks for more bytes instead.)
 */
export class BoundedReader {
  offset: number;
  /** `what` names the message in errors: "CQL value runs past the frame body". */
  constructor(
    readonly buf: Buffer,
    private readonly what: { protocol: string; message: string },
    offset = 0,
  ) {
    this.offset = offset;
  }
  get left(): number {
    return this.buf.length - this.offset;
  }
  protected need(n: number): void {
    if (n < 0 || this.offset + n > this.buf.length) throw new Error(`${this.what.protocol} value runs past the ${this.what.message}`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }
  i8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  /** `n` bytes as UTF-8, `n` already checked against the caller's maximum. */
  protected utf8(n: number): string {
    this.need(n);
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
  /** `n` bytes, without copying. */
  protected slice(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }
  /** A count of items each at least `minItemBytes` long cannot exceed the bytes left: refuse it before looping. */
  protected fits(n: number, minItemBytes: number, what: string): number {
    if (n < 0 || n * minItemBytes > this.left) throw new Error(`${this.what.protocol} ${what} does not fit the ${this.what.message}`);
    return n;
  }
}
