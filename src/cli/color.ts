/**
 * The one colour decision: colour only when the flag allows it (`--no-color` clears it), the stream is a
 * terminal, and NO_COLOR is unset or empty (https://no-color.org).
 */
export function useColor(flag: boolean, io: { isTty: boolean; env: NodeJS.ProcessEnv }): boolean {
  return flag && io.isTty && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
}
