/** `node dist/engine.js serve …`: loads one model and answers HTTP until SIGINT/SIGTERM. */
import * as path from "node:path";
import { isLoopbackHost } from "../../shared/backend";
import { stderrLogger } from "../log";
import { errorText, inspectModelFile } from "../modelHost/inspectModelFile";
import { createRuntime } from "../modelHost/runtime";
import { parseServeArgs, SERVE_USAGE, UsageError } from "./args";
import { TeamServer } from "./teamServer";

export async function runServe(argv: readonly string[]): Promise<void> {
    let options;
    try {
        options = parseServeArgs(argv);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        if (error.message) process.stderr.write(`${error.message}\n\n`);
        process.stderr.write(`${SERVE_USAGE}\n`);
        process.exit(error.message ? 64 : 0);
    }
    const log = stderrLogger;
    try {
        const { llama } = await createRuntime(options.gpu, log);
        const inspected = await inspectModelFile(path.resolve(options.model), llama);
        const model = await llama.loadModel({
            modelPath: inspected.path,
            gpuLayers: llama.gpu === false ? 0 : "auto"
        });
        const context = await model.createContext({
            contextSize: options.contextSize,
            sequences: options.parallel,
            threads: options.threads
        });
        const sequences = Array.from({ length: options.parallel }, () => context.getSequence());
        const server = new TeamServer(
            context,
            sequences,
            {
                modelPath: inspected.path,
                apiKey: options.apiKey,
                maxQueue: options.maxQueue,
                maxTokens: options.maxTokens,
                infillPromptAfterMid: options.infillPromptAfterMid,
                loopbackOnly: isLoopbackHost(options.host),
                allowOrigins: options.allowOrigins,
                requestTimeoutSeconds: options.requestTimeoutSeconds,
                maxConnections: options.maxConnections
            },
            log
        );
        const address = await server.listen(options.port, options.host);
        const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
        // Tests and scripts read this line to find the port.
        process.stdout.write(
            `apprentice serve: listening on http://${shown}:${address.port} (model ${inspected.name}, ${options.parallel} parallel, ctx ${context.contextSize}, ${options.threads} threads${options.apiKey ? ", API key required" : ""})\n`
        );
        if (!isLoopbackHost(options.host)) {
            log.warn(
                `serve: listening on ${options.host} over plain HTTP; put a TLS reverse proxy in front before code crosses a network (docs/team-server.md).`
            );
        }
        let stopping = false;
        const stop = async () => {
            if (stopping) return;
            stopping = true;
            log.info(`serve: stopping after ${server.counters.requests_total} requests.`);
            try {
                // In order: no new requests, running generations cancelled and returned, then the context, model and runtime.
                await server.close();
                if (server.runningGenerations > 0) {
                    // A generation that does not return cannot be disposed under safely: leave it to the process exit.
                    log.warn(
                        "serve: stopped without disposing the model (a generation is still running)."
                    );
                    process.exit(0);
                }
                await context.dispose();
                await model.dispose();
                await llama.dispose();
                log.info("serve: stopped.");
                process.exit(0);
            } catch (error) {
                process.stderr.write(`apprentice serve: stopping failed: ${errorText(error)}\n`);
                process.exit(1);
            }
        };
        process.on("SIGINT", () => void stop());
        process.on("SIGTERM", () => void stop());
    } catch (error) {
        const action = (error as { action?: string }).action;
        process.stderr.write(
            `apprentice serve: ${errorText(error)}${action ? ` ${action}` : ""}\n`
        );
        process.exit(1);
    }
}
