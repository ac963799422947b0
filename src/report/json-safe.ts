/**
 * JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+0080–U+009F: a CSI is U+009B) and the
 * line/paragraph separators raw; `cat report.json` would hand them to a terminal. As \uXXXX escapes they are the
 * same JSON value (lossless), and inert text on a screen.
 */
const rawControls = /[\u007f-\u009f\u2028\u2029]/g;
export function jsonSafe(text: string): string {
  return text.replace(rawControls, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
