/** The engine's logger: before the connection is up it writes to stderr, then to the client's log. */
export interface Logger {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}

export const stderrLogger: Logger = {
    info: (m) => process.stderr.write(`[info] ${m}\n`),
    warn: (m) => process.stderr.write(`[warn] ${m}\n`),
    error: (m) => process.stderr.write(`[error] ${m}\n`)
};
