/** Composition root of the engine: wires the connection, the model host and the features. */
import {
    TextDocuments,
    TextDocumentSyncKind,
    type Connection,
    type InitializeResult,
    type ServerCapabilities
} from "vscode-languageserver";
import {
    StatusNotification,
    StatusRequest,
    type ConfigurationChange,
    type InitializationOptions
} from "../shared/protocol";
import { normalizeSettings, type EngineSettings } from "../shared/settings";
import type { EngineStatus } from "../shared/status";
import type { EngineFeature, FeatureContext } from "./feature";
import { FEATURES } from "./features";
import type { Logger } from "./log";
import { errorText } from "./modelHost/inspectModelFile";
import { InferenceHost } from "./inference/inferenceHost";
import { ModelHost } from "./modelHost/modelHost";
import { createRuntime, type Runtime } from "./modelHost/runtime";
import { DocumentHealth } from "./documents/documentHealth";
import { boundedDocuments } from "./documents/boundedDocuments";
import { listenGuarded } from "./documents/guardedSync";
import { InitializeGuard } from "./initializeGuard";
import { disposeWithin, SHUTDOWN_LIMIT_MS } from "./shutdown";
import { runStartHooks } from "./testHooks";

export const ENGINE_VERSION = "0.1.0";

/** `guard` must be the MessageStrategy the connection was created with (see main.ts). */
export function startServer(connection: Connection, guard: InitializeGuard): void {
    const log: Logger = {
        info: (m) => connection.console.info(m),
        warn: (m) => connection.console.warn(m),
        error: (m) => connection.console.error(m)
    };
    const documents = new TextDocuments(boundedDocuments());
    const documentHealth = new DocumentHealth();
    let settings: EngineSettings;
    let binariesFolder: string | undefined;
    let runtimeResolve!: (runtime: Runtime) => void;
    let runtimeReject!: (error: unknown) => void;
    const runtime = new Promise<Runtime>((resolve, reject) => {
        runtimeResolve = resolve;
        runtimeReject = reject;
    });
    let createdRuntime: Runtime | undefined;
    runtime.then(
        (value) => {
            createdRuntime = value;
        },
        () => undefined
    );
    const host = new ModelHost(runtime, log);
    const inference = new InferenceHost(
        host,
        {
            usable: (uri) => documentHealth.usable(uri),
            isSecret: (name) => documentHealth.skipReason(name) === "secret"
        },
        log
    );
    const features: EngineFeature[] = [];
    let lastSent: EngineStatus | undefined;

    const sendStatus = (status: EngineStatus) => {
        // Loading progress comes in small steps; send one notification per 10%.
        if (
            status.state === "loading" &&
            lastSent?.state === "loading" &&
            lastSent.modelPath === status.modelPath &&
            Math.floor(status.progress * 10) === Math.floor(lastSent.progress * 10)
        )
            return;
        lastSent = status;
        void connection.sendNotification(StatusNotification.type, status);
    };

    connection.onInitialize((params): InitializeResult => {
        const options = (params.initializationOptions ?? {}) as InitializationOptions;
        settings = normalizeSettings(options.settings);
        documentHealth.setSecretPatterns(settings.secretFilePatterns);
        binariesFolder = options.binariesFolder;
        const context: FeatureContext = {
            connection,
            documents,
            documentHealth,
            host,
            inference,
            log,
            settings: () => settings,
            updateSettings: applySettings,
            binariesFolder
        };
        const capabilities: ServerCapabilities = {
            textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental }
        };
        const methods: string[] = [StatusRequest.method, StatusNotification.method];
        for (const factory of FEATURES) {
            const feature = factory(context);
            features.push(feature);
            Object.assign(capabilities, feature.capabilities);
            methods.push(...(feature.methods ?? []));
        }
        capabilities.experimental = { apprentice: { methods } };
        return { capabilities, serverInfo: { name: "apprentice-engine", version: ENGINE_VERSION } };
    });

    connection.onInitialized(() => {
        runStartHooks(log.warn);
        host.onDidChangeStatus(sendStatus);
        sendStatus(host.status);
        createRuntime(settings.gpu, log, binariesFolder).then(runtimeResolve, (error) => {
            runtimeReject(error);
            const status: EngineStatus = {
                state: "error",
                code: "backendFailed",
                modelPath: settings.modelPath,
                message: `The llama.cpp backend could not be started (${errorText(error)}).`,
                action: 'Set apprentice.gpu to "off" and restart the engine, or reinstall the extension.'
            };
            log.error(status.message);
            sendStatus(status);
        });
        void runtime.then(
            () => host.configure(settings),
            () => undefined
        );
    });

    /** Applies a settings change (from the client or a feature); resolves when the model host is done. */
    const applySettings = async (change: Partial<EngineSettings> | undefined): Promise<void> => {
        const next = normalizeSettings(change, settings);
        if (next.gpu !== settings.gpu)
            log.warn(
                "apprentice.gpu changed: the engine must be restarted to use another backend."
            );
        settings = next;
        documentHealth.setSecretPatterns(settings.secretFilePatterns);
        await runtime.then(
            () => host.configure(next),
            () => undefined
        );
    };

    connection.onDidChangeConfiguration((params) => {
        const change = (params.settings ?? {}) as ConfigurationChange;
        void applySettings(change.apprentice);
    });

    connection.onRequest(StatusRequest.type, () => host.status);

    connection.onShutdown(async () => {
        // Bounded: a hung native dispose must not keep the process (and its memory) alive.
        await disposeWithin(
            [
                ...features
                    .splice(0)
                    .reverse()
                    .map((feature) => () => feature.dispose()),
                () => inference.dispose(),
                () => host.dispose(),
                () => createdRuntime?.llama.dispose()
            ],
            SHUTDOWN_LIMIT_MS,
            log
        );
    });

    guard.install(connection);
    listenGuarded(documents, connection, documentHealth, log);
    connection.listen();
}
