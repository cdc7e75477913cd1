// For tests: the kubeconfig kubeadm leaves on the control plane (/root/.kube/config), without which our
// kubectl, as the real one, talks to localhost:8080 (see apiOf in client.ts).
export const ADMIN_KUBECONFIG =
  'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://192.168.121.10:6443\n  name: kubernetes\n' +
  'contexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\n' +
  'preferences: {}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n';

/** A readFile that has the admin kubeconfig at /root/.kube/config (and nothing else). */
export const adminKubeconfig = (p: string): string | null => (p === '/root/.kube/config' ? ADMIN_KUBECONFIG : null);
