/**
 * Entry point of the engine process. Runs as `node dist/engine.js --stdio` for any LSP client,
 * or with `--node-ipc` when spawned by the extension.
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { InitializeGuard } from "./initializeGuard";
import { startServer } from "./server";

const guard = new InitializeGuard();
const connection = createConnection(ProposedFeatures.all, { messageStrategy: guard });

process.on("uncaughtException", (error) => {
    connection.console.error(`Uncaught exception in the engine: ${error.stack ?? String(error)}`);
});
process.on("unhandledRejection", (reason) => {
    connection.console.error(`Unhandled rejection in the engine: ${reason instanceof Error ? reason.stack : String(reason)}`);
});

startServer(connection, guard);
