/** The backend area of the LSP engine: configure, check, and report where inference runs. */
import {
    BackendCheckRequest,
    BackendConfigureNotification,
    BackendStatusNotification
} from "../../shared/backendProtocol";
import type { EngineFeature, FeatureFactory } from "../feature";

export const createBackendFeature: FeatureFactory = (context): EngineFeature => {
    const backends = context.inference;
    const { connection } = context;
    const subscription = backends.onDidChangeStatus((status) => {
        void connection.sendNotification(BackendStatusNotification.type, status);
    });
    connection.onNotification(BackendConfigureNotification.type, (configuration) =>
        backends.configure(configuration)
    );
    connection.onRequest(BackendCheckRequest.type, (token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return backends.check(abort.signal);
    });
    return {
        methods: [
            BackendConfigureNotification.method,
            BackendCheckRequest.method,
            BackendStatusNotification.method
        ],
        dispose() {
            subscription.dispose();
        }
    };
};
