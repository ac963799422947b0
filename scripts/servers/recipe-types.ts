// What a test-server recipe declares (scripts/servers/recipes.ts, longtail-recipes.ts); index.ts runs them.

export interface RecipeContext {
  dir: string;
  host: string;
  ports: Record<string, number>;
  variant: string;
  protectedVariant: boolean;
  timezone?: string;
  /** clickhouse: configure system.query_log and log every query (log_queries=1 in the default profile). */
  queryLog?: boolean;
}

export interface Recipe {
  binary: string;
  /** Extra programs a start needs (password hashing, auth setup). */
  helpers: readonly string[];
  portNames: readonly string[];
  variants: readonly string[];
  /** Which variants set a password (the instance then carries `password`). */
  passwordVariants: readonly string[];
  user: string;
  /** False when the server drops root on its own; all others run as nobody via setpriv when root. */
  dropPrivileges: boolean;
  logFiles: readonly string[];
  /**
   * The name the server gives itself once running (Node's process.title: node-red, verdaccio): stop-by-pid then
   * checks /proc/PID/comm against it instead of the binary's name.
   */
  retitle?: string;
  /** Writes configs into ctx.dir and returns the server's arguments. */
  prepare(ctx: RecipeContext): Promise<string[]>;
  /** One readiness attempt; false (or a throw) means not yet. */
  ready(ctx: RecipeContext): Promise<boolean>;
  afterReady?(ctx: RecipeContext): Promise<void>;
}
