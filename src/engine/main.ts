/**
 * Entry point of the engine process.
 * - `node dist/engine.js --stdio` (or `--node-ipc` when spawned by the extension): the LSP engine.
 * - `node dist/engine.js serve --model FILE.gguf [--host 127.0.0.1] [--port 8080] …`: a shared
 *   HTTP inference server speaking the llama.cpp-server/OpenAI subset (see docs/team-server.md).
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { InitializeGuard } from "./initializeGuard";
import { runServe } from "./serve/serveMain";
import { startServer } from "./server";

function runLanguageServer(): void {
    const guard = new InitializeGuard();
    const connection = createConnection(ProposedFeatures.all, { messageStrategy: guard });

    process.on("uncaughtException", (error) => {
        connection.console.error(
            `Uncaught exception in the engine: ${error.stack ?? String(error)}`
        );
    });
    process.on("unhandledRejection", (reason) => {
        connection.console.error(
            `Unhandled rejection in the engine: ${reason instanceof Error ? reason.stack : String(reason)}`
        );
    });

    startServer(connection, guard);
}

if (process.argv[2] === "serve") void runServe(process.argv.slice(3));
else runLanguageServer();
