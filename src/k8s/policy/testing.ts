// fast-check arbitraries for NetworkPolicy property tests (imported by *.test.ts only): label selectors as the
// API accepts them (matchLabels, or one matchExpressions term of each operator) and policy shapes whose rules
// the caller generates (peers may be values or thunks resolved once the cluster exists).
import fc from 'fast-check';

export interface PolicyVocabulary {
  keys: string[];
  values: string[];
  namespaces: string[];
  /** most labels on a pod or in a matchLabels */
  maxLabels: number;
}

export function policyArbitraries(v: PolicyVocabulary) {
  const labelsArb = fc.dictionary(fc.constantFrom(...v.keys), fc.constantFrom(...v.values), { maxKeys: v.maxLabels });
  const selectorArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.constant({}),
    labelsArb.map((m) => ({ matchLabels: m })),
    fc
      .record({ key: fc.constantFrom(...v.keys), operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), values: fc.subarray(v.values, { minLength: 1 }) })
      .map((e) => ({ matchExpressions: [e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { key: e.key, operator: e.operator } : e] })),
  );
  /** A policy's shape over the caller's rules: namespace, podSelector, policyTypes, up to two ingress and egress rules. */
  const policyOf = <R>(ruleArb: fc.Arbitrary<R>) =>
    fc.record({
      namespace: fc.constantFrom(...v.namespaces),
      podSelector: selectorArb,
      types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
      ingress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
      egress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
    });
  return { labelsArb, selectorArb, policyOf };
}
