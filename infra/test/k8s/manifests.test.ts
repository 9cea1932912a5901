// infra/k8s validated offline: every object against the Kubernetes JSON schemas of kubernetes-models (and KEDA's
// CRD schema from @kubernetes-models/keda), then what the schemas cannot say — probes on /ready and /health,
// non-root read-only pods, secrets by reference only, a PDB and a Service per Deployment, KEDA scaling the
// detector on its real consumer groups with no more replicas than partitions.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { loadAlertsConfig } from '@paywatch/alerts';
import { TOPIC_PARTITIONS, TOPICS } from '@paywatch/domain';
import { SERVICES } from '../../src/build-service.ts';
import { ROOT, yamlDocuments, yamlFile } from '../repo-files.ts';

const DIR = 'infra/k8s';
interface K8sObject { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> }
const kustomization = yamlFile<{ namespace: string; resources: string[]; images: Array<{ name: string; newName: string; newTag: string }> }>(`${DIR}/kustomization.yaml`);
const objects = kustomization.resources.flatMap((f) => yamlDocuments(`${DIR}/${f}`).map((o) => ({ file: f, o: o as K8sObject })));
const ofKind = (kind: string) => objects.filter((x) => x.o.kind === kind).map((x) => x.o);
const deployments = ofKind('Deployment');
const config = ofKind('ConfigMap').find((c) => c.metadata.name === 'paywatch-config')!.data!;

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment, 'v1/Service': Service, 'v1/ConfigMap': ConfigMap, 'v1/Namespace': Namespace,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget, 'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};
/** KEDA's kafka scaler parameters (keda.sh docs, "Apache Kafka" scaler): names and formats, nothing else. */
const KafkaTriggerMetadata = z.strictObject({
  bootstrapServers: z.string().min(1), consumerGroup: z.string().min(1), topic: z.string().min(1),
  lagThreshold: z.string().regex(/^\d+$/), activationLagThreshold: z.string().regex(/^\d+$/).optional(),
  offsetResetPolicy: z.enum(['latest', 'earliest']).optional(), allowIdleConsumers: z.enum(['true', 'false']).optional(),
  scaleToZeroOnInvalidOffset: z.enum(['true', 'false']).optional(), excludePersistentLag: z.enum(['true', 'false']).optional(),
  limitToPartitionsWithLag: z.enum(['true', 'false']).optional(),
});
const SECRET_NAME = /SECRET|PASSWORD|PASS$|TOKEN|PRIVATE|_KEY$|_KEY_ID$|DATABASE_URL/;
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const containerOf = (d: K8sObject) => d.spec.template.spec.containers[0];

describe('infra/k8s', () => {
  it('when kustomize builds the directory, then every YAML file is a listed resource and every image is set under images', () => {
    const files = readdirSync(resolve(ROOT, DIR)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    expect(kustomization.namespace).toBe('paywatch');
    const images = deployments.flatMap((d) => d.spec.template.spec.containers.map((c: { image: string }) => c.image));
    expect(images.sort()).toEqual(kustomization.images.map((i) => i.name).sort());
    for (const i of kustomization.images) expect(i.newTag, i.name).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('when every object is validated against the Kubernetes (and KEDA) JSON schemas, then none is refused', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const { file, o } of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${file}: no schema for ${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new Model!(o).validate(), `${file} ${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('when the schemas are asked about a broken object, then they refuse it (the validation is real)', () => {
    const d = structuredClone(deployments[0]!);
    d.spec.replicas = 'two';
    expect(() => new Deployment(d as never).validate()).toThrow(/replicas/);
    const so = structuredClone(ofKind('ScaledObject')[0]!);
    delete so.spec.scaleTargetRef;
    expect(() => new ScaledObject(so as never).validate()).toThrow(/scaleTargetRef/);
  });

  it('when the services and the console are deployed, then each is a Deployment probed for readiness on /ready and liveness on /health', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES].sort());
    for (const d of deployments) {
      const c = containerOf(d);
      const port = c.ports.find((p: { name: string }) => p.name === 'http');
      expect(c.readinessProbe.httpGet, d.metadata.name).toEqual({ path: '/ready', port: 'http' });
      expect(c.livenessProbe.httpGet, d.metadata.name).toEqual({ path: '/health', port: 'http' });
      expect(c.env.find((e: { name: string }) => e.name === 'PORT').value, d.metadata.name).toBe(String(port.containerPort));
      expect(d.spec.template.metadata.annotations['prometheus.io/port'], d.metadata.name).toBe(String(port.containerPort));
      expect(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory, d.metadata.name).toBeTruthy();
    }
  });

  it('when a pod runs, then it is non-root with a read-only root file system, no privileges and a writable /tmp only', () => {
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const c = containerOf(d);
      expect(pod.securityContext.runAsNonRoot, d.metadata.name).toBe(true);
      expect(pod.securityContext.runAsUser, d.metadata.name).toBeGreaterThan(0);
      expect(c.securityContext, d.metadata.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath), d.metadata.name).toEqual(['/tmp']);
      expect(pod.volumes.find((v: { name: string }) => v.name === c.volumeMounts[0].name).emptyDir, d.metadata.name).toBeDefined();
      expect(pod.automountServiceAccountToken, d.metadata.name).toBe(false);
    }
  });

  it('when a pod needs a secret, then it comes from the Secret by reference; the ConfigMap and plain values hold none', () => {
    for (const key of Object.keys(config)) expect(key, 'ConfigMap key').not.toMatch(SECRET_NAME);
    for (const d of deployments) {
      for (const e of containerOf(d).env as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>) {
        if (!SECRET_NAME.test(e.name)) continue;
        expect(e.value, `${d.metadata.name} ${e.name}`).toBeUndefined();
        expect(e.valueFrom?.secretKeyRef, `${d.metadata.name} ${e.name}`).toEqual({ name: 'paywatch-secrets', key: e.name, ...(/^SMTP_/.test(e.name) ? { optional: true } : {}) });
      }
    }
  });

  it('when alerts starts in the cluster, then its environment (ConfigMap, values and Secret keys) satisfies its configuration', () => {
    const alerts = deployments.find((d) => d.metadata.name === 'alerts')!;
    const env: Record<string, string> = { ...config };
    for (const e of containerOf(alerts).env) env[e.name] = e.value ?? (e.name === 'DATABASE_URL' ? 'postgres://u:p@db:5432/paywatch' : e.valueFrom.secretKeyRef.optional ? '' : 's'.repeat(40));
    expect(() => loadAlertsConfig(env)).not.toThrow();
  });

  it('when the console starts, then it calls the three services through their cluster Services on their ports', () => {
    const env = Object.fromEntries(containerOf(deployments.find((d) => d.metadata.name === 'console')!).env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    for (const [s, key] of [['ingest', 'INGEST_URL'], ['detector', 'DETECTOR_URL'], ['alerts', 'ALERTS_URL']] as const) {
      const svc = ofKind('Service').find((x) => x.metadata.name === s)!;
      expect(env[key]).toBe(`http://${s}:${svc.spec.ports[0].port}`);
    }
    expect(env.SECURE_COOKIES).toBe('true');
  });

  it('when a node is drained, then every Deployment has a PodDisruptionBudget and a Service selecting exactly its pods', () => {
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels;
      expect(matches(d.spec.selector.matchLabels, labels), d.metadata.name).toBe(true);
      const pdbs = ofKind('PodDisruptionBudget').filter((p) => matches(p.spec.selector.matchLabels, labels));
      expect(pdbs.length, `${d.metadata.name} PDB`).toBe(1);
      expect(pdbs[0]!.spec.maxUnavailable ?? 0, d.metadata.name).toBeGreaterThan(0); // a budget of 0 would block every drain
      const svcs = ofKind('Service').filter((s) => matches(s.spec.selector, labels));
      expect(svcs.map((s) => s.metadata.name), d.metadata.name).toEqual([d.metadata.name]);
      expect(svcs[0]!.spec.ports[0].targetPort).toBe('http');
    }
  });

  it('when lag builds up, then KEDA scales the detector on the Kafka lag of its own groups, within the partition count, never to zero', () => {
    const [so] = ofKind('ScaledObject');
    expect(so!.spec.scaleTargetRef.name).toBe('detector');
    expect(so!.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(so!.spec.maxReplicaCount).toBeLessThanOrEqual(TOPIC_PARTITIONS[TOPICS.disbursements]);
    const group = config.DETECTOR_GROUP_ID ?? 'detector';
    const triggers = so!.spec.triggers as Array<{ type: string; metadata: Record<string, string> }>;
    for (const t of triggers) {
      expect(t.type).toBe('kafka');
      expect(() => KafkaTriggerMetadata.parse(t.metadata)).not.toThrow();
      expect(t.metadata.bootstrapServers).toBe(config.KAFKA_BROKERS);
      // The detector reads from the beginning (fromBeginning: true): a new group's lag counts the whole topic.
      expect(t.metadata.offsetResetPolicy).toBe('earliest');
    }
    expect(triggers.map((t) => [t.metadata.consumerGroup, t.metadata.topic])).toEqual([[group, TOPICS.disbursements], [`${group}-payee`, TOPICS.disbursementsByPayee]]);
    expect(so!.spec.maxReplicaCount).toBeLessThanOrEqual(TOPIC_PARTITIONS[TOPICS.disbursementsByPayee]);
    // KEDA owns the replica count; the stop of a pod leaves time to save its checkpoints.
    const detector = deployments.find((d) => d.metadata.name === 'detector')!;
    expect(detector.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
  });
});
