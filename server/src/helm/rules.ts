/** Every rule id the Helm chart checks report, with its default severity and description. */
import type { RuleMeta } from '../kubernetes/resource';
import { CHART_API_VERSION_RULE, CHART_RULE, CHART_UNKNOWN_FIELD_RULE } from './chartFile';
import { HELM_RENDER_RULE } from './renderedOutput';
import { INVALID_VALUES_SCHEMA_RULE, VALUES_SCHEMA_RULE } from './valuesSchema';

export const HELM_RULE_TABLE: readonly RuleMeta[] = [
  { id: CHART_RULE, defaultSeverity: 'error', description: 'Chart.yaml must have its required fields, valid SemVer versions and constraints, and fields of the right types.' },
  { id: CHART_API_VERSION_RULE, defaultSeverity: 'warning', description: 'Chart.yaml apiVersion v1 is the Helm 2 format, deprecated since Helm 3.' },
  { id: CHART_UNKNOWN_FIELD_RULE, defaultSeverity: 'warning', description: 'A field Helm does not know in Chart.yaml; Helm ignores it.' },
  { id: VALUES_SCHEMA_RULE, defaultSeverity: 'error', description: "A values file must match the chart's values.schema.json." },
  { id: INVALID_VALUES_SCHEMA_RULE, defaultSeverity: 'error', description: 'values.schema.json must be a valid JSON Schema.' },
  { id: HELM_RENDER_RULE, defaultSeverity: 'error', description: 'helm template must render the chart.' },
];
