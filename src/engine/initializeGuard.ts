/**
 * Enforces the LSP lifecycle before vscode-languageserver sees a message: requests before
 * `initialize` get ServerNotInitialized (-32002), a second `initialize` gets InvalidRequest, and a
 * malformed `initialize` gets InvalidParams, instead of an exception or a hang. Notifications
 * before `initialize` are dropped, as the protocol says (except `exit`), and so is every
 * `initialized` but the first (each one would start the backend and load the model again).
 *
 * It is a vscode-jsonrpc MessageStrategy: a refused request is rewritten to REFUSED_METHOD, whose
 * handler answers with the error, so every request still gets exactly one response.
 */
import {
    ErrorCodes,
    Message,
    ResponseError,
    type MessageStrategy,
    type RequestMessage
} from "vscode-languageserver";

type NotificationResult = ReturnType<MessageStrategy["handleMessage"]>;

export const REFUSED_METHOD = "$/apprentice/refused";

interface Refusal {
    code: number;
    message: string;
}

type Phase = "new" | "initialized" | "running";

export class InitializeGuard implements MessageStrategy {
    private phase: Phase = "new";

    handleMessage(
        message: Message,
        next: (message: Message) => NotificationResult
    ): NotificationResult {
        if (Message.isRequest(message)) {
            const refusal = this.check(message);
            if (refusal)
                return next({
                    jsonrpc: message.jsonrpc,
                    id: message.id,
                    method: REFUSED_METHOD,
                    params: refusal
                } as RequestMessage);
        } else if (Message.isNotification(message)) {
            if (this.phase === "new" && message.method !== "exit") return; // LSP: notifications before initialize are dropped.
            if (message.method === "initialized") {
                if (this.phase === "running") return;
                this.phase = "running";
            }
        }
        return next(message);
    }

    /** Registers the handler that answers refused requests. */
    install(connection: {
        onRequest(method: string, handler: (params: Refusal) => ResponseError<void>): unknown;
    }): void {
        connection.onRequest(
            REFUSED_METHOD,
            (params) => new ResponseError(params.code, params.message)
        );
    }

    private check(request: RequestMessage): Refusal | undefined {
        if (request.method === REFUSED_METHOD)
            return {
                code: ErrorCodes.MethodNotFound,
                message: `Unhandled method ${REFUSED_METHOD}`
            };
        if (request.method !== "initialize") {
            return this.phase === "new"
                ? {
                      code: ErrorCodes.ServerNotInitialized,
                      message: `The engine is not initialized yet: send "initialize" before "${request.method}".`
                  }
                : undefined;
        }
        if (this.phase !== "new")
            return {
                code: ErrorCodes.InvalidRequest,
                message: 'The engine is already initialized; "initialize" may be sent only once.'
            };
        const problem = initializeParamsProblem(request.params);
        if (problem)
            return {
                code: ErrorCodes.InvalidParams,
                message: `Invalid initialize params: ${problem}.`
            };
        this.phase = "initialized";
        return undefined;
    }
}

/** What is wrong with `initialize` params, or undefined when they can be used. */
export function initializeParamsProblem(params: unknown): string | undefined {
    if (typeof params !== "object" || params === null || Array.isArray(params))
        return "params must be an object";
    const p = params as Record<string, unknown>;
    if (
        typeof p.capabilities !== "object" ||
        p.capabilities === null ||
        Array.isArray(p.capabilities)
    )
        return "capabilities must be an object";
    if (p.processId !== undefined && p.processId !== null) {
        if (!Number.isSafeInteger(p.processId) || (p.processId as number) <= 0)
            return "processId must be a positive integer or null";
        // vscode-languageserver exits when this process is gone; a wrong id would end the engine within seconds.
        if (!processExists(p.processId as number))
            return `processId ${p.processId} is not a running process`;
    }
    if (
        p.initializationOptions !== undefined &&
        p.initializationOptions !== null &&
        (typeof p.initializationOptions !== "object" || Array.isArray(p.initializationOptions))
    ) {
        return "initializationOptions must be an object";
    }
    return undefined;
}

function processExists(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}
