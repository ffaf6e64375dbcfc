/**
 * Runs the same engine tests on each path to the model: "local" (the default) and "fallback" (a team
 * server that cannot be reached, with the local model standing in), so the fallback is held to every
 * assertion of the local path.
 */
import { createServer } from "node:net";
import {
    BackendCheckRequest,
    BackendConfigureNotification
} from "../../src/shared/backendProtocol";
import { DEFAULT_BACKEND } from "../../src/shared/backend";
import type { EngineProcess } from "./engineProcess";

export type InferenceMode = "local" | "fallback";
export const INFERENCE_MODES: readonly InferenceMode[] = ["local", "fallback"];

/** A 127.0.0.1 port nothing listens on (connections to it are refused at once). */
export async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** Puts the engine on `mode`'s path; returns the host answers say they fell back from (undefined for local). */
export async function useInferenceMode(
    engine: EngineProcess,
    mode: InferenceMode
): Promise<string | undefined> {
    if (mode === "local") return undefined;
    const host = `127.0.0.1:${await closedPort()}`;
    await engine.connection.sendNotification(BackendConfigureNotification.type, {
        settings: {
            ...DEFAULT_BACKEND,
            kind: "llamaServer",
            url: `http://${host}`,
            timeoutMs: 5000,
            fallbackToLocal: true
        }
    });
    // A round trip: the configuration is in place before the test's first request.
    await engine.connection.sendRequest(BackendCheckRequest.type);
    return host;
}
