// safe-regex 2.x (a dependency of dependency-cruiser) ships no types.
declare module 'safe-regex' {
  export default function safeRegex(re: RegExp | string, opts?: { limit?: number }): boolean;
}
