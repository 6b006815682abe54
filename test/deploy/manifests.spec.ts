import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { GATEWAY, SERVICES } from '../../scripts/fleet';

/**
 * No Docker engine or cluster here, so the deployment files are checked for what a
 * cluster would reject or silently mis-route: syntax, references, selectors, probes.
 */
const root = resolve(__dirname, '..', '..');
const fleet = [...SERVICES, GATEWAY];

type Doc = Record<string, any>;
function load(path: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((d) => d.toJS()).filter(Boolean);
}

function kustomizeResources(dir: string, seen = new Set<string>()): string[] {
  const file = join(dir, 'kustomization.yaml');
  expect(existsSync(file)).toBe(true);
  const [k] = load(file);
  expect(k.kind).toBe('Kustomization');
  const out: string[] = [];
  for (const res of k.resources ?? []) {
    const target = resolve(dir, res);
    expect(existsSync(target)).toBe(true);
    if (seen.has(target)) continue;
    seen.add(target);
    if (target.endsWith('.yaml')) out.push(target);
    else out.push(...kustomizeResources(target, seen));
  }
  return out;
}

describe('Kubernetes manifests', () => {
  it('parse, and every kustomization resource exists (base and overlays)', () => {
    for (const dir of ['k8s/base', 'k8s/overlays/staging', 'k8s/overlays/production']) {
      const files = kustomizeResources(join(root, dir));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) for (const doc of load(f)) expect(doc.apiVersion && doc.kind).toBeTruthy();
    }
  });

  it.each(fleet.map((app) => [app.name, app] as const))('%s has a Deployment, Service, HPA and PDB that fit together', (name, app) => {
    const file = join(root, 'k8s/base', `${name}.yaml`);
    const docs = load(file);
    const byKind = Object.fromEntries(docs.map((d) => [d.kind, d]));
    const { Deployment: dep, Service: svc, HorizontalPodAutoscaler: hpa, PodDisruptionBudget: pdb } = byKind;
    expect(dep && svc && hpa && pdb).toBeTruthy();
    const podLabels = dep.spec.template.metadata.labels;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(matches(dep.spec.selector.matchLabels)).toBe(true);
    expect(matches(svc.spec.selector)).toBe(true);
    expect(matches(pdb.spec.selector.matchLabels)).toBe(true);
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: dep.metadata.name });
    const container = dep.spec.template.spec.containers[0];
    expect(container.command).toContain(app.entry);
    expect(container.ports[0].containerPort).toBe(app.defaultPort);
    expect(container.env.find((e: Doc) => e.name === app.portEnv)?.value).toBe(String(app.defaultPort));
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.resources.requests.cpu).toBeTruthy();
    expect(container.resources.limits.memory).toBeTruthy();
    expect(base().resources).toContain(`${name}.yaml`);
  });

  it('reference only secrets and config that the docs name, and commit no secret values', () => {
    const files = readdirSync(join(root, 'k8s/base')).filter((f) => f.endsWith('.yaml'));
    for (const f of files) for (const doc of load(join(root, 'k8s/base', f))) expect(doc.kind).not.toBe('Secret');
  });
});

function base(): Doc {
  return load(join(root, 'k8s/base/kustomization.yaml'))[0];
}

describe('docker-compose.yml and Dockerfile', () => {
  const compose = load(join(root, 'docker-compose.yml'))[0];

  it('runs every app of the fleet with NATS (JetStream, file storage) and Postgres', () => {
    expect(compose.services.nats.command).toEqual(expect.arrayContaining(['-js', '-sd']));
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    for (const app of fleet) {
      const service = compose.services[app.name];
      expect(service).toBeDefined();
      expect(service.command).toContain(app.entry);
      expect(service.environment.NATS_URL).toBe('nats://nats:4222');
    }
  });

  it('builds one multi-stage image whose entries exist in the build output layout', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm run build/);
    for (const app of fleet) expect(existsSync(join(root, dirname(app.entry).replace(/^dist\//, ''), 'main.ts'))).toBe(true);
  });
});
