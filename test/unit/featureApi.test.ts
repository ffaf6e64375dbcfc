import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { composeApi, FeatureApiConflictError } from "../../src/extension/featureApi";

interface Api {
    status: string;
    chat?: { send(): string };
    trust?: { readonly notice: string | undefined };
    completion?: { statsFile?: string };
}

describe("extension feature API parts", () => {
    it("joins every feature's part onto the extension's own, keeping getters live", () => {
        let notice: string | undefined = undefined;
        let statsFile = "/first";
        const trust = {
            get notice() {
                return notice;
            }
        };
        const completionPart: Partial<Api> = {
            get completion() {
                return { statsFile };
            }
        };
        const api = composeApi<Api>({ status: "ready" }, [
            { chat: { send: () => "sent" } },
            undefined,
            { trust },
            completionPart
        ]);
        assert.equal(api.status, "ready");
        assert.equal(api.chat?.send(), "sent");
        notice = "ignored settings";
        statsFile = "/second";
        assert.equal(api.trust?.notice, "ignored settings");
        assert.equal(
            api.completion?.statsFile,
            "/second",
            "a part's getter is read when asked, not copied at activation"
        );
        assert.deepEqual(Object.keys(api).sort(), ["chat", "completion", "status", "trust"]);
    });

    it("refuses a member two parts provide instead of letting the later one win", () => {
        assert.throws(
            () =>
                composeApi<Api>({ status: "ready" }, [
                    { chat: { send: () => "first" } },
                    { chat: { send: () => "second" } }
                ]),
            (e: unknown) =>
                e instanceof FeatureApiConflictError && e.key === "chat" && /chat/.test(e.message)
        );
        assert.throws(
            () => composeApi<Api>({ status: "ready" }, [{ status: "overwritten" }]),
            FeatureApiConflictError
        );
    });
});
