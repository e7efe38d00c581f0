// Small builders for the structural OpenAPI v3 schemas CRDs need.
export type Schema = Record<string, unknown>;

export const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
export const bool = (): Schema => ({ type: 'boolean' });
export const int = (): Schema => ({ type: 'integer', format: 'int64' });
export const num = (): Schema => ({ type: 'number' });
export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const strMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });
/** Any JSON object; the API server keeps its fields as given. */
export const free = (): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });

export function obj(properties: Record<string, Schema>, required: string[] = [], opts: { preserveUnknown?: boolean } = {}): Schema {
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    // Unknown fields are kept, not pruned: newer Argo CD manifests must not lose fields silently.
    ...(opts.preserveUnknown ?? true ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
  };
}
