import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import type { Middleware } from "vscode-languageclient/node";
import { composeMiddleware } from "../../src/extension/middleware";

type Hook = (...args: unknown[]) => unknown;
const hook = (middleware: Middleware, name: string) =>
    (middleware as unknown as Record<string, Hook>)[name];

describe("extension feature middleware", () => {
    it("chains a hook that two features set, in their order, ending in the client's own", () => {
        const calls: string[] = [];
        const first = {
            provideInlineCompletionItems: (
                doc: unknown,
                pos: unknown,
                ctx: unknown,
                token: unknown,
                next: Hook
            ) => {
                calls.push("first");
                return next(doc, pos, ctx, token);
            }
        };
        const second = {
            provideInlineCompletionItems: (
                doc: unknown,
                pos: unknown,
                ctx: unknown,
                token: unknown,
                next: Hook
            ) => {
                calls.push("second");
                return next(`${String(doc)}+second`, pos, ctx, token);
            }
        };
        const composed = composeMiddleware([
            first as unknown as Middleware,
            undefined,
            second as unknown as Middleware
        ]);
        const result = hook(composed, "provideInlineCompletionItems")(
            "doc",
            1,
            2,
            3,
            (doc: unknown) => {
                calls.push("client");
                return `items for ${String(doc)}`;
            }
        );
        assert.equal(result, "items for doc+second");
        assert.deepEqual(calls, ["first", "second", "client"], "neither hook replaced the other");
    });

    it("keeps a hook only one feature sets as it is, and composes grouped hooks one level down", () => {
        const only = (_a: unknown, next: Hook) => next("x");
        const a = {
            didOpen: only,
            workspace: {
                configuration: (p: unknown, t: unknown, next: Hook) => [
                    "a",
                    ...(next(p, t) as string[])
                ]
            }
        };
        const b = {
            workspace: {
                configuration: (p: unknown, t: unknown, next: Hook) => [
                    "b",
                    ...(next(p, t) as string[])
                ]
            }
        };
        const composed = composeMiddleware([
            a as unknown as Middleware,
            b as unknown as Middleware
        ]);
        assert.equal(hook(composed, "didOpen"), only);
        const workspace = (composed as unknown as { workspace: Record<string, Hook> }).workspace;
        assert.deepEqual(
            workspace.configuration({}, undefined, () => ["client"]),
            ["a", "b", "client"]
        );
    });
});
