/**
 * The terminal guard's parser: which command lines change live infrastructure by hand.
 * Each case is a command line as someone would type it in a terminal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findApplyCommands, splitSimpleCommands } from '../../server/src/gitops/applyCommands';

/** `tool action` of every apply-like command found, for compact expectations. */
function detected(commandLine: string): string[] {
  return findApplyCommands(commandLine).map((command) => `${command.tool} ${command.action}`);
}

describe('apply-like command lines', () => {
  const applying: Array<[string, string[]]> = [
    ['kubectl apply -f x.yaml', ['kubectl apply']],
    ['kubectl create deployment web --image=nginx', ['kubectl create']],
    ['kubectl replace -f x.yaml', ['kubectl replace']],
    ['kubectl patch deploy web -p \'{"spec":{"replicas":3}}\'', ['kubectl patch']],
    ['kubectl edit deploy/web', ['kubectl edit']],
    ['kubectl delete pod web-0', ['kubectl delete']],
    ['kubectl scale deploy web --replicas=0', ['kubectl scale']],
    ['kubectl -n prod apply -f x.yaml', ['kubectl apply']],
    ['kubectl --namespace prod --context=staging apply -k overlays/prod', ['kubectl apply']],
    ['kubectl --kubeconfig ~/.kube/prod -v 6 delete ns old', ['kubectl delete']],
    ['/usr/local/bin/kubectl apply -f x.yaml', ['kubectl apply']],
    ['sudo kubectl apply -f x.yaml', ['kubectl apply']],
    ['sudo -E -u root kubectl apply -f x.yaml', ['kubectl apply']],
    ['KUBECONFIG=/tmp/k DEBUG=1 kubectl apply -f x.yaml', ['kubectl apply']],
    ['env KUBECONFIG=/tmp/k kubectl apply -f x.yaml', ['kubectl apply']],
    ['time kubectl apply -f x.yaml', ['kubectl apply']],
    ['kubectl kustomize overlays/prod | kubectl apply -f -', ['kubectl apply']],
    ['cd infra && kubectl apply -f .', ['kubectl apply']],
    ['make build; kubectl apply -f x.yaml || echo failed', ['kubectl apply']],
    ['kubectl apply -f "my manifests/web.yaml"', ['kubectl apply']],
    ["kubectl apply -f 'a b.yaml' --server-side", ['kubectl apply']],
    ['kubectl apply -f x.yaml --dry-run=none', ['kubectl apply']],
    ['kubectl \\\n  apply -f x.yaml', ['kubectl apply']],
    ['echo $(kubectl delete pod x)', ['kubectl delete']],
    ["bash -c 'kubectl apply -f x.yaml'", ['kubectl apply']],
    ['oc apply -f route.yaml', ['kubectl apply']],
    ['terraform apply', ['terraform apply']],
    ['terraform apply -auto-approve tfplan', ['terraform apply']],
    ['terraform -chdir=envs/prod apply', ['terraform apply']],
    ['terraform destroy -target=aws_s3_bucket.logs', ['terraform destroy']],
    ['terraform plan -out tfplan && terraform apply tfplan', ['terraform apply']],
    ['tofu apply', ['terraform apply']],
    ['helm install web ./chart', ['helm install']],
    ['helm upgrade --install web ./chart -f values-prod.yaml', ['helm upgrade']],
    ['helm -n prod uninstall web', ['helm uninstall']],
    ['helm --kube-context prod delete web', ['helm uninstall']],
    ['ansible-playbook -i inventory site.yml', ['ansible-playbook run']],
    ['ansible-playbook site.yml --diff', ['ansible-playbook run']],
    ['ANSIBLE_CONFIG=a.cfg sudo ansible-playbook site.yml', ['ansible-playbook run']],
    ['kubectl apply -f a.yaml && helm upgrade web ./chart', ['kubectl apply', 'helm upgrade']],
    ['{ kubectl apply -f a.yaml; }', ['kubectl apply']],
    ['(cd infra && terraform apply)', ['terraform apply']],
    ['kubectl apply -f x.yaml & disown', ['kubectl apply']],
  ];
  for (const [commandLine, expected] of applying) {
    it(`detects ${JSON.stringify(commandLine)}`, () => {
      assert.deepEqual(detected(commandLine), expected);
    });
  }

  const harmless = [
    'kubectl get pods -A',
    'kubectl -n prod describe deploy web',
    'kubectl diff -f x.yaml',
    'kubectl apply -f x.yaml --dry-run=client -o yaml',
    'kubectl apply -f x.yaml --dry-run=server',
    'kubectl apply view-last-applied deploy/web',
    'kubectl logs -n apply web',
    'kubectl --namespace delete get pods',
    'terraform plan',
    'terraform plan -destroy',
    'terraform -chdir=envs/prod plan',
    'terraform apply -help',
    'helm template web ./chart',
    'helm upgrade web ./chart --dry-run',
    'helm list -n prod',
    'ansible-playbook --check site.yml',
    'ansible-playbook -C site.yml',
    'ansible-playbook -vC site.yml',
    'ansible-playbook --syntax-check site.yml',
    'ansible-playbook --list-tasks site.yml',
    'echo kubectl apply -f x.yaml',
    'echo "kubectl apply -f x.yaml" > notes.txt',
    "grep 'terraform apply' README.md",
    'git commit -m "kubectl apply the fix"',
    '# kubectl apply -f x.yaml',
    'ls # then kubectl apply -f x.yaml',
    'man kubectl',
    'kubectl',
    '',
    '   ',
    'kubectl apply -f "unterminated',
  ];
  for (const commandLine of harmless) {
    it(`ignores ${JSON.stringify(commandLine)}`, () => {
      // The unterminated quote is still judged as typed: apply with a file "unterminated".
      const expected = commandLine === 'kubectl apply -f "unterminated' ? ['kubectl apply'] : [];
      assert.deepEqual(detected(commandLine), expected);
    });
  }

  it('keeps the simple command as typed, prefixes dropped', () => {
    assert.deepEqual(findApplyCommands('FOO=1 sudo kubectl -n prod apply -f "a b.yaml" | tee log'), [
      { tool: 'kubectl', action: 'apply', text: 'kubectl -n prod apply -f a b.yaml' },
    ]);
  });
});

describe('splitting a command line the way bash does', () => {
  it('splits chains and pipes, joins quoted text, drops comments', () => {
    assert.deepEqual(splitSimpleCommands(`a "b c" 'd e'f\\ g && h | i; j # k l`), [['a', 'b c', 'd ef g'], ['h'], ['i'], ['j']]);
  });

  it('keeps escaped quotes inside double quotes', () => {
    assert.deepEqual(splitSimpleCommands('echo "say \\"hi\\" \\$HOME"'), [['echo', 'say "hi" $HOME']]);
  });

  it('keeps empty quoted words', () => {
    assert.deepEqual(splitSimpleCommands(`kubectl apply -f ''`), [['kubectl', 'apply', '-f', '']]);
  });
});
