/**
 * Composes the vscode-languageclient middleware of several features explicitly: a hook that one
 * feature sets is used as is; a hook that several set runs as a chain in the features' order, each
 * one's `next` calling the following one and the last one's calling the client's own. No feature's
 * hook can silently replace another's (as an `Object.assign` of the middleware objects would).
 */
import type { Middleware } from "vscode-languageclient/node";

type Hook = (...args: unknown[]) => unknown;

function chain(hooks: readonly Hook[]): Hook {
    if (hooks.length === 1) return hooks[0];
    return (...args: unknown[]) => {
        // Every middleware hook takes the client's own implementation as its last argument.
        const last = args[args.length - 1] as Hook;
        const head = args.slice(0, -1);
        const run = (index: number, callArgs: unknown[]): unknown =>
            index === hooks.length
                ? last(...callArgs)
                : hooks[index](...callArgs, (...nextArgs: unknown[]) => run(index + 1, nextArgs));
        return run(0, head);
    };
}

function composeLevel(parts: readonly Record<string, unknown>[]): Record<string, unknown> {
    const composed: Record<string, unknown> = {};
    const keys = new Set(parts.flatMap((part) => Object.keys(part)));
    for (const key of keys) {
        const values = parts.map((part) => part[key]).filter((value) => value !== undefined);
        if (values.every((value) => typeof value === "function"))
            composed[key] = chain(values as Hook[]);
        // Grouped hooks (`workspace`, `window`, `notebooks`): compose one level down.
        else if (values.every((value) => typeof value === "object" && value !== null))
            composed[key] = composeLevel(values as Record<string, unknown>[]);
        else
            throw new Error(
                `Middleware "${key}" is a hook in one feature and something else in another.`
            );
    }
    return composed;
}

export function composeMiddleware(middlewares: readonly (Middleware | undefined)[]): Middleware {
    return composeLevel(
        middlewares.filter((m): m is Middleware => m !== undefined) as Record<string, unknown>[]
    ) as Middleware;
}
