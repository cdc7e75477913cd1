// Beyond the book: Ingress and the Gateway API.
import { defineBank } from '../types';
import { fail, pass } from '../predicates';
import { kube } from '../../../k8s/cluster';
import type { World } from '../../../sim/world';

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: { number?: number; name?: string } } };
}
interface IngressObj {
  spec: { rules?: { host?: string; http?: { paths?: IngressPath[] } }[] };
}
interface BackendRef {
  name?: string;
  port?: number;
  weight?: number;
  kind?: string;
}
interface RouteObj {
  spec: {
    parentRefs?: { name?: string }[];
    hostnames?: string[];
    rules?: { matches?: { path?: { type?: string; value?: string } }[]; backendRefs?: BackendRef[] }[];
  };
}

const get = <T,>(world: World, res: string, ns: string, name: string) => (kube(world)?.tryGet(res, ns, name) as T | null | undefined) ?? null;

export default defineBank({
  chapter: 'ingress',
  title: 'Ingress and the Gateway API',
  questions: [
    {
      kind: 'single',
      id: 'no-controller',
      competencies: ['ingress'],
      prompt: 'You create a valid Ingress in a new cluster; `kubectl get ingress` shows it with an empty ADDRESS, and requests never reach the backend. Most likely cause?',
      options: [
        { id: 'controller', text: 'No Ingress controller handles its class: Kubernetes ships none' },
        { id: 'kubeproxy', text: 'kube-proxy has not synced the Ingress yet', feedback: 'kube-proxy implements Services only; Ingress needs a controller.' },
        { id: 'dns', text: 'CoreDNS has no record for the host', feedback: 'DNS for the host is the client\'s concern; the empty ADDRESS says no controller took the Ingress.' },
        { id: 'invalid', text: 'The Ingress is invalid', feedback: 'An invalid Ingress is refused by the API server; this one was stored.' },
      ],
      answer: 'controller',
      explanation: 'The API server stores Ingresses; a controller (a proxy Deployment) implements them and writes the address where it listens into `status.loadBalancer`. Check `kubectl get ingressclass` and the controller\'s pods.',
    },
    {
      kind: 'single',
      id: 'default-class',
      competencies: ['ingress'],
      prompt: 'An Ingress sets no `ingressClassName`. Which controller handles it?',
      options: [
        { id: 'default', text: 'The one of the IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"`, filled in when the Ingress is created' },
        { id: 'all', text: 'Every controller of the cluster', feedback: 'Controllers only take Ingresses of their class.' },
        { id: 'none', text: 'None, ever', feedback: 'A default IngressClass fills it in.' },
        { id: 'first', text: 'The controller installed first', feedback: 'Installation order does not matter; the annotation does.' },
      ],
      answer: 'default',
      explanation: 'The API server\'s admission fills `ingressClassName` with the default IngressClass at creation. Without a default class, an Ingress without a class may be ignored (controllers differ).',
    },
    {
      kind: 'multiple',
      id: 'prefix',
      competencies: ['ingress'],
      prompt: 'A path `/cart` with `pathType: Prefix`. Which request paths does it match? Select all that apply.',
      options: [
        { id: 'exact', text: '`/cart`' },
        { id: 'sub', text: '`/cart/items`' },
        { id: 'slash', text: '`/cart/`' },
        { id: 'carts', text: '`/carts`', feedback: 'Prefix matches whole path elements: `/carts` is another element.' },
      ],
      answers: ['exact', 'sub', 'slash'],
      explanation: '`Prefix` compares path elements split by `/`: `/cart` matches `/cart`, `/cart/` and anything under `/cart/`, not `/carts`. `Exact` would match `/cart` only. The longest matching path wins among several.',
    },
    {
      kind: 'single',
      id: 'roles',
      competencies: ['gateway-api'],
      prompt: 'In the Gateway API, which object does an application team usually write to route `shop.example.com/cart` to its Service?',
      options: [
        { id: 'route', text: 'An HTTPRoute, attached to a Gateway with `parentRefs`' },
        { id: 'gateway', text: 'A Gateway', feedback: 'Gateways (listeners, ports, certificates) are usually the cluster operators\'.' },
        { id: 'class', text: 'A GatewayClass', feedback: 'GatewayClasses come with the implementation, cluster-wide.' },
        { id: 'grant', text: 'A ReferenceGrant', feedback: 'ReferenceGrants allow cross-namespace references; they route nothing.' },
      ],
      answer: 'route',
      explanation: 'The API splits roles: the infrastructure provider\'s GatewayClass, the operator\'s Gateway (the entry point and its listeners), the application team\'s HTTPRoutes (hostnames, matches, backends), each in its own object and namespace.',
    },
    {
      kind: 'number',
      id: 'weights',
      competencies: ['gateway-api'],
      prompt: 'An HTTPRoute rule has backendRefs `web` with weight 3 and `web-v2` with weight 1. What percentage of the requests goes to `web-v2`?',
      answer: 25,
      unit: '%',
      wrong: [{ answer: 33, feedback: 'The share is weight / sum of weights: 1 / (3 + 1).' }, { answer: 1, feedback: 'Weights are relative, not percentages.' }],
      explanation: 'Each backend gets weight / sum of weights of the rule: 1 / 4 = 25%. 80 and 20, or 4 and 1, give the same 80/20 split; weight 0 sends a backend nothing, and the default weight is 1.',
    },
    {
      kind: 'single',
      id: 'convert-path',
      competencies: ['gateway-api', 'ingress'],
      prompt: 'Converting an Ingress path `/api` with `pathType: Prefix` to an HTTPRoute: what is the match?',
      options: [
        { id: 'pp', text: '`matches: [{path: {type: PathPrefix, value: /api}}]`' },
        { id: 'prefix', text: '`matches: [{path: {type: Prefix, value: /api}}]`', feedback: 'The Gateway API calls it `PathPrefix`.' },
        { id: 'regex', text: '`matches: [{path: {type: RegularExpression, value: /api.*}}]`', feedback: 'Possible with some implementations, but not the equivalent and not portable.' },
        { id: 'host', text: '`hostnames: [/api]`', feedback: 'Hostnames are host names; paths go in matches.' },
      ],
      answer: 'pp',
      explanation: 'Ingress `Prefix` / `Exact` become HTTPRoute `PathPrefix` / `Exact`; the host becomes `hostnames`; the backend Service and port become `backendRefs` (`name`, `port`); the class becomes `parentRefs` to a Gateway; TLS moves to the Gateway\'s listener.',
    },
    {
      kind: 'multiple',
      id: 'gateway-vs-ingress',
      competencies: ['gateway-api', 'ingress'],
      prompt: 'What can an HTTPRoute express in its standard fields that an Ingress needs controller-specific annotations for? Select all that apply.',
      options: [
        { id: 'weights', text: 'Weighted traffic splitting between backends' },
        { id: 'headers', text: 'Matching on request headers' },
        { id: 'rewrite', text: 'Rewriting the URL path before forwarding' },
        { id: 'host', text: 'Routing by host name', feedback: 'Ingress rules have `host` as a standard field.' },
      ],
      answers: ['weights', 'headers', 'rewrite'],
      explanation: 'Ingress\'s standard fields are host, path, backend, TLS and a default backend; everything else (rewrites, canaries, header matches) lives in each controller\'s annotations. HTTPRoute has matches on path, headers, query parameters and method, `filters` (URLRewrite, RequestRedirect, header modifiers) and backend weights, portable across implementations.',
    },
    {
      kind: 'single',
      id: 'resolvedrefs',
      competencies: ['gateway-api', 'troubleshoot-network'],
      prompt: 'An HTTPRoute\'s status says `ResolvedRefs: False` with reason `BackendNotFound`. What do you check?',
      options: [
        { id: 'svc', text: 'That the Service named in `backendRefs` exists in the route\'s namespace (or that a ReferenceGrant allows another namespace)' },
        { id: 'gw', text: 'That the Gateway has a listener on port 80', feedback: 'That would show on the parent\'s Accepted condition, not as BackendNotFound.' },
        { id: 'dns', text: 'CoreDNS', feedback: 'Backends are resolved through the API, not DNS.' },
        { id: 'class', text: 'The IngressClass', feedback: 'IngressClasses belong to Ingress, not the Gateway API.' },
      ],
      answer: 'svc',
      explanation: '`ResolvedRefs` reports whether every reference of the route resolved: `BackendNotFound` names a missing Service, `RefNotPermitted` a cross-namespace reference without a ReferenceGrant. Read it with `kubectl get httproute NAME -o yaml` (status.parents[].conditions).',
    },
    {
      kind: 'command',
      id: 'create-ingress',
      competencies: ['ingress'],
      prompt: 'Create an Ingress `shop` in namespace `default` that sends requests for host `shop.example.com` with paths under `/cart` (Prefix) to the Service `cart` on port 80.',
      scenario: 'k8s-cluster',
      solutions: [
        ["kubectl create ingress shop --rule='shop.example.com/cart*=cart:80'"],
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"shop"},"spec":{"rules":[{"host":"shop.example.com","http":{"paths":[{"path":"/cart","pathType":"Prefix","backend":{"service":{"name":"cart","port":{"number":80}}}}]}}]}}\' | kubectl apply -f -'],
      ],
      wrong: [["kubectl create ingress shop --rule='shop.example.com/cart=cart:80'"], ["kubectl create ingress shop --rule='/cart*=cart:80'"], ["kubectl create ingress shop --rule='shop.example.com/cart*=cart:8080'"]],
      check: ({ world, runs }) => {
        const ing = get<IngressObj>(world, 'ingresses', 'default', 'shop');
        if (!ing) return fail(runs, 'There is no Ingress shop in namespace default.');
        const rule = (ing.spec.rules ?? []).find((r) => r.host === 'shop.example.com');
        if (!rule) return fail(runs, 'It needs a rule for host shop.example.com.');
        const p = (rule.http?.paths ?? []).find((x) => x.path === '/cart');
        if (!p) return fail(runs, 'The rule for shop.example.com needs a path /cart.');
        if (p.pathType !== 'Prefix') return fail(runs, `Path /cart has pathType ${p.pathType}: paths under /cart need Prefix (with kubectl create ingress, end the path with \`*\`).`);
        const svc = p.backend?.service;
        if (svc?.name !== 'cart' || svc.port?.number !== 80) return fail(runs, 'The backend must be the Service cart, port 80.');
        return pass();
      },
      explanation: '`kubectl create ingress NAME --rule=HOST/PATH=SERVICE:PORT` writes one rule per `--rule`; a path ending in `*` becomes `pathType: Prefix`, otherwise `Exact`. The same object in YAML or JSON applies with `kubectl apply -f`.',
    },
    {
      kind: 'command',
      id: 'httproute-split',
      competencies: ['gateway-api'],
      prompt: 'Create an HTTPRoute `split` in `default`, attached to the Gateway `shop-gateway`, for host `shop.example.com`, sending 80% of the requests to Service `web` and 20% to Service `web-v2`, both on port 80.',
      scenario: 'k8s-cluster',
      solutions: [
        ['echo \'{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"split"},"spec":{"parentRefs":[{"name":"shop-gateway"}],"hostnames":["shop.example.com"],"rules":[{"backendRefs":[{"name":"web","port":80,"weight":80},{"name":"web-v2","port":80,"weight":20}]}]}}\' | kubectl apply -f -'],
        ["printf 'apiVersion: gateway.networking.k8s.io/v1\\nkind: HTTPRoute\\nmetadata:\\n  name: split\\nspec:\\n  parentRefs:\\n  - name: shop-gateway\\n  hostnames:\\n  - shop.example.com\\n  rules:\\n  - backendRefs:\\n    - name: web\\n      port: 80\\n      weight: 4\\n    - name: web-v2\\n      port: 80\\n      weight: 1\\n' | kubectl apply -f -"],
      ],
      wrong: [
        ['echo \'{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"split"},"spec":{"parentRefs":[{"name":"shop-gateway"}],"hostnames":["shop.example.com"],"rules":[{"backendRefs":[{"name":"web","port":80},{"name":"web-v2","port":80}]}]}}\' | kubectl apply -f -'],
        ['echo \'{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"split"},"spec":{"hostnames":["shop.example.com"],"rules":[{"backendRefs":[{"name":"web","port":80,"weight":80},{"name":"web-v2","port":80,"weight":20}]}]}}\' | kubectl apply -f -'],
      ],
      check: ({ world, runs }) => {
        const r = get<RouteObj>(world, 'httproutes', 'default', 'split');
        if (!r) return fail(runs, 'There is no HTTPRoute split in namespace default.');
        if (!(r.spec.parentRefs ?? []).some((p) => p.name === 'shop-gateway')) return fail(runs, 'The route must be attached to the Gateway: `parentRefs: [{name: shop-gateway}]`.');
        if (!(r.spec.hostnames ?? []).includes('shop.example.com')) return fail(runs, 'Its hostnames must include shop.example.com.');
        for (const rule of r.spec.rules ?? []) {
          const refs = rule.backendRefs ?? [];
          const w = (n: string) => refs.filter((b) => b.name === n && (b.kind ?? 'Service') === 'Service' && b.port === 80).reduce((s, b) => s + (b.weight ?? 1), 0);
          const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
          if (w('web') > 0 && w('web-v2') > 0 && total > 0 && w('web') * 20 === w('web-v2') * 80 && w('web') + w('web-v2') === total) return pass();
        }
        return fail(runs, 'No rule sends web and web-v2 (port 80) an 80/20 share: give them weights in that proportion (80 and 20, or 4 and 1) in one rule\'s backendRefs.');
      },
      explanation: 'One rule with two `backendRefs`, weights 80 and 20 (any 4:1 proportion), `parentRefs` naming the Gateway and `hostnames` the host. Without weights both get the default weight 1: a 50/50 split.',
    },
  ],
});
