/** The chat feature: `apprentice/chat/send` (streams `apprentice/chat/progress`) and `apprentice/chat/stop`. */
import { ResponseError } from "vscode-languageserver";
import {
    ChatPrepareNotification,
    ChatProgressNotification,
    ChatSendRequest,
    ChatStopRequest,
    validateSendParams,
    type ChatErrorData
} from "../../shared/chatProtocol";
import {
    ApprenticeErrorCodes,
    INVALID_PARAMS,
    REQUEST_CANCELLED
} from "../../shared/protocolErrors";
import { isBackendError } from "../inference/errors";
import type { EngineFeature, FeatureContext } from "../feature";
import { errorText } from "../modelHost/inspectModelFile";
import { ChatService } from "./chatService";
import { NoModelError } from "./localChat";
import { PartBatcher } from "./partBatcher";
import { PromptTooLongError } from "./promptFit";
import { SecretAttachmentError } from "./remoteChat";

/** JSON-RPC error codes of chat requests (see src/shared/protocolErrors.ts and docs/protocol.md). */
const ChatErrorCodes = {
    noModel: ApprenticeErrorCodes.chatNoModel,
    badRequest: INVALID_PARAMS,
    tooLong: ApprenticeErrorCodes.chatTooLong,
    engineFailed: ApprenticeErrorCodes.chatEngineFailed,
    server: ApprenticeErrorCodes.chatServer,
    secretFile: ApprenticeErrorCodes.chatSecretFile
} as const;

/** How long without an edit before the chat format is worked out on `apprentice/chat/prepare`. */
const PREPARE_AFTER_QUIET_MS = 1500;

export function createChatFeature({
    connection,
    documents,
    inference,
    log
}: FeatureContext): EngineFeature {
    const service = new ChatService(() => inference.current);

    connection.onRequest(ChatSendRequest.type, async (params, token) => {
        const invalid = validateSendParams(params);
        if (invalid)
            throw new ResponseError<ChatErrorData>(
                ChatErrorCodes.badRequest,
                `Invalid chat request: ${invalid}.`,
                { code: "badRequest", action: "Fix the request." }
            );
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        // Pieces joined into fewer notifications; what waits is sent before the answer (finally).
        const parts = new PartBatcher(
            (part, text) =>
                void connection.sendNotification(ChatProgressNotification.type, {
                    turnId: params.turnId,
                    part,
                    text
                })
        );
        try {
            const result = await service.run({
                turnId: params.turnId,
                messages: params.messages,
                maxTokens: params.maxTokens,
                system: params.system,
                signal: abort.signal,
                onPart: (part, text) => parts.push(part, text)
            });
            // LSP: a request the client cancelled answers with RequestCancelled.
            if (token.isCancellationRequested)
                throw new ResponseError(REQUEST_CANCELLED, "The chat turn was cancelled.");
            return result;
        } catch (error) {
            if (error instanceof ResponseError) throw error;
            if (error instanceof NoModelError) {
                throw new ResponseError<ChatErrorData>(ChatErrorCodes.noModel, error.message, {
                    code: "noModel",
                    action: 'Run "Apprentice: Select Model File…" to choose a GGUF model.'
                });
            }
            if (isBackendError(error)) {
                log.warn(`Chat turn ${params.turnId}: ${error.message}`);
                throw new ResponseError<ChatErrorData>(ChatErrorCodes.server, error.message, {
                    code: "server",
                    action: error.action
                });
            }
            if (error instanceof SecretAttachmentError) {
                throw new ResponseError<ChatErrorData>(ChatErrorCodes.secretFile, error.message, {
                    code: "secretFile",
                    action: 'Remove that attachment, or switch apprentice.backend.kind to "local" to ask about it on this machine.'
                });
            }
            if (error instanceof PromptTooLongError) {
                throw new ResponseError<ChatErrorData>(ChatErrorCodes.tooLong, error.message, {
                    code: "tooLong",
                    action: "Attach a smaller selection, or raise apprentice.contextSize."
                });
            }
            log.error(`Chat turn ${params.turnId} failed: ${errorText(error)}`);
            throw new ResponseError<ChatErrorData>(
                ChatErrorCodes.engineFailed,
                `The model failed while answering (${errorText(error)}).`,
                {
                    code: "engineFailed",
                    action: "Try again; if it keeps failing, restart the engine."
                }
            );
        } finally {
            parts.flush();
            cancel.dispose();
        }
    });

    connection.onRequest(ChatStopRequest.type, (params) => ({
        stopped: service.stop(params.turnId)
    }));
    // Preparing blocks this thread for a moment (0.4-0.9 s measured): wait until the user has not
    // typed for a while, so no keystroke's completion waits behind it. A chat turn prepares anyway.
    let lastEdit = 0;
    let prepareTimer: NodeJS.Timeout | undefined;
    const editSubscription = documents.onDidChangeContent(() => {
        lastEdit = performance.now();
    });
    const prepareWhenIdle = () => {
        prepareTimer = undefined;
        const quietFor = performance.now() - lastEdit;
        if (quietFor < PREPARE_AFTER_QUIET_MS) {
            prepareTimer = setTimeout(prepareWhenIdle, PREPARE_AFTER_QUIET_MS - quietFor);
            return;
        }
        service.prepare();
    };
    connection.onNotification(ChatPrepareNotification.type, () => {
        if (!prepareTimer) prepareTimer = setTimeout(prepareWhenIdle, 0);
    });

    return {
        methods: [
            ChatSendRequest.method,
            ChatProgressNotification.method,
            ChatStopRequest.method,
            ChatPrepareNotification.method
        ],
        dispose: () => {
            if (prepareTimer) clearTimeout(prepareTimer);
            editSubscription.dispose();
            service.dispose();
        }
    };
}
