/**
 * A node's flannel metrics, from its merged `monitoring.flannel` settings: on unless `enabled:
 * false`, served on every address at DEFAULT_FLANNEL_METRICS_PORT unless `listen` or `textfileDir`
 * says otherwise.
 */
import type { FlannelMonitoringSpec } from '../validate/profile-types.ts';
import type { ResolvedFlannelMetrics } from './project-model.ts';

/** Next to node-exporter's 9100 range, unused by the exporters Prometheus lists. */
const DEFAULT_FLANNEL_METRICS_PORT = 9587;

export function resolveFlannelMetrics(spec: FlannelMonitoringSpec): { flannelMetrics?: ResolvedFlannelMetrics } {
  if (spec.enabled === false) return {};
  if (spec.textfileDir !== undefined) return { flannelMetrics: { kind: 'textfile', dir: spec.textfileDir } };
  // systemd's ListenStream= takes a bare port as every address, IPv4 and IPv6.
  return { flannelMetrics: { kind: 'socket', listen: spec.listen ?? String(DEFAULT_FLANNEL_METRICS_PORT) } };
}
