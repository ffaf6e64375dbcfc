/**
 * Joins the parts of the ApprenticeApi that features provide (`ExtensionFeature.api`) onto the
 * extension's own part. Each part is copied property by property with its getters kept (a getter
 * such as `trust.notice` stays live), and a name two parts claim is an error at activation: no
 * feature's part can silently replace another's (as an `Object.assign` of the parts would).
 */
export class FeatureApiConflictError extends Error {
    override readonly name = "FeatureApiConflictError";
    constructor(readonly key: string) {
        super(
            `Two extension features provide the API member "${key}"; give one of them another name.`
        );
    }
}

export function composeApi<T extends object>(
    base: T,
    parts: readonly (Partial<T> | undefined)[]
): T {
    for (const part of parts) {
        if (!part) continue;
        for (const key of Object.keys(part)) {
            if (Object.prototype.hasOwnProperty.call(base, key))
                throw new FeatureApiConflictError(key);
            Object.defineProperty(base, key, {
                ...Object.getOwnPropertyDescriptor(part, key),
                enumerable: true
            });
        }
    }
    return base;
}
