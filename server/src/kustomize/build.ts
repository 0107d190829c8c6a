/**
 * The embedded `kustomize build`: resources (files and nested kustomizations), components,
 * generators, then the built-in transformers in kustomize's order, and at the top the
 * name hashes and name-reference fix-ups. Features it does not run (replacements, vars,
 * Helm charts, plugins) are reported as "not rendered" rather than rendered wrongly.
 */
import type { Severity } from '../core/types';
import type { YamlNode } from '../yaml/compose';
import { checkKustomizationFields } from './fields';
import { contentHash, generatedData, makeGenerated, parseEnvFile, secretValue, type GeneratorOptions, type GeneratorSource } from './generators';
import { fixNameReferences } from './nameReferences';
import { applyPatch, applyStrategicPatches } from './patchApplication';
import { isRemotePath, KUSTOMIZATION_FILE_NAMES, resolvePath } from './paths';
import type { KustomizeReader, LocatedFinding, RenderedObject, RenderResult } from './render';
import { apiVersionOf, describeResource, groupOf, kindOf, nameOf, namespaceOf, type Resource } from './resources';
import { documentTree, parseInline, ParsedFiles, type ParsedText } from './sources';
import { addAnnotations, addLabels, addNamePrefixSuffix, setImages, setNamespace, setReplicas, type ImageChange } from './transformers';
import { locationOf, setScalar, sourceAt, stringIn, treeToValue, type Origin, type TreeMap, type TreeNode } from './tree';
import { booleanField, field, isString, mapField, mapsIn, stringField, stringPairs, stringsIn, type TreeString } from './treeFields';

interface Kustomization {
  uri: string;
  folder: string;
  text: string;
  kind: 'Kustomization' | 'Component';
  root: TreeMap;
}

const FEATURES_NOT_EMBEDDED = ['replacements', 'vars', 'helmCharts', 'helmChartInflationGenerator', 'generators', 'transformers', 'validators', 'configurations', 'buildMetadata'];

const identityOf = (resource: Resource): string => `${groupOf(apiVersionOf(resource))}/${kindOf(resource)}/${namespaceOf(resource) ?? ''}/${nameOf(resource)}`;

class Build {
  readonly problems: LocatedFinding[] = [];
  readonly dependencies = new Set<string>();
  readonly notRendered: string[] = [];
  readonly resourceFiles = new Set<string>();
  readonly patchFiles = new Set<string>();
  readonly generated: RenderResult['generated'] = [];
  private readonly checked = new Set<string>();

  constructor(private readonly reader: KustomizeReader, private readonly parsed: ParsedFiles) {}

  private read(uri: string): string | undefined {
    this.dependencies.add(uri);
    return this.reader.readFile(uri);
  }

  readonly report = (origin: Origin, severity: Severity, rule: string, message: string, at?: 'key' | 'value'): void => {
    const { uri, range } = locationOf(origin, at);
    this.problems.push({ uri, range, severity, rule, message });
  };

  private notRenderedBecause(origin: Origin, reason: string): void {
    this.notRendered.push(reason);
    this.report(origin, 'info', 'kustomize/not-rendered', `${reason}, so the embedded build does not render this kustomization and its output is not validated. With kubectl installed and the workspace trusted, "kubectl kustomize" renders it.`, 'key');
  }

  /** The kustomization file of a folder, with its own fields checked (once per build). */
  load(folder: string): Kustomization | undefined {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const uri = `${folder}/${name}`;
      const text = this.read(uri);
      if (text === undefined) continue;
      const parsed = this.parsed.parse(uri, text);
      const document = parsed.documents[0];
      // An empty kustomization is valid: it renders nothing.
      const empty: YamlNode = { kind: 'scalar', value: null, plain: true, empty: true, start: 0, end: 0, weight: 1 };
      const root: TreeNode = document ? documentTree(parsed, document, 'kustomization') : { kind: 'map', origin: { file: parsed.file, node: empty, producer: 'kustomization' }, entries: new Map() };
      if (!this.checked.has(uri)) {
        this.checked.add(uri);
        for (const finding of checkKustomizationFields(root)) this.problems.push({ ...finding, uri });
      }
      if (root.kind !== 'map') return undefined;
      const kind = stringField(root, 'kind') === 'Component' ? 'Component' : 'Kustomization';
      return { uri, folder, text, kind, root };
    }
    return undefined;
  }

  /** Reads a file a kustomization names; a missing one is an error on the path's text. */
  private readNamed(k: Kustomization, entry: TreeString, what: string): { uri: string; text: string } | undefined {
    const uri = resolvePath(k.folder, entry.value);
    const text = this.read(uri);
    if (text !== undefined) return { uri, text };
    if (isRemotePath(entry.value)) {
      this.notRenderedBecause(entry.origin, `The ${what} "${entry.value}" is remote`);
      return undefined;
    }
    const folder = this.reader.isFolder(uri);
    this.report(entry.origin, 'error', 'kustomize/missing-path', folder ? `The ${what} "${entry.value}" is a folder, not a file.` : `The ${what} "${entry.value}" does not exist.`);
    return undefined;
  }

  /** Builds the kustomization in `folder` into `into` (a Component works on its parent's list). */
  accumulate(k: Kustomization, into: Resource[], stack: readonly string[]): void {
    for (const name of FEATURES_NOT_EMBEDDED) {
      const node = field(k.root, name);
      if (node) this.notRenderedBecause({ ...node.origin, key: node.origin.key }, `"${name}" is not run by the embedded build`);
    }
    this.checkOtherPaths(k);
    for (const name of ['resources', 'bases']) for (const entry of stringsIn(field(k.root, name))) this.addResource(k, entry, into, stack);
    for (const entry of stringsIn(field(k.root, 'components'))) this.addComponent(k, entry, into, stack);
    this.runGenerators(k, into);
    this.runTransformers(k, into);
  }

  /** Paths only checked for existence: the embedded build does not use them. */
  private checkOtherPaths(k: Kustomization): void {
    const check = (entry: TreeNode | undefined, what: string): void => {
      if (!isString(entry) || entry.value.includes('\n') || isRemotePath(entry.value)) return;
      const uri = resolvePath(k.folder, entry.value);
      if (this.read(uri) === undefined && !this.reader.isFolder(uri)) this.report(entry.origin, 'error', 'kustomize/missing-path', `The ${what} "${entry.value}" does not exist.`);
    };
    for (const entry of stringsIn(field(k.root, 'crds'))) check(entry, 'CRD file');
    for (const name of ['configurations', 'generators', 'transformers', 'validators']) for (const entry of stringsIn(field(k.root, name))) check(entry, 'file');
    const openapi = field(k.root, 'openapi');
    if (openapi?.kind === 'map') check(field(openapi, 'path'), 'OpenAPI schema');
    for (const replacement of mapsIn(field(k.root, 'replacements'))) check(field(replacement, 'path'), 'replacement file');
    for (const chart of mapsIn(field(k.root, 'helmCharts'))) {
      check(field(chart, 'valuesFile'), 'values file');
      for (const entry of stringsIn(field(chart, 'additionalValuesFiles'))) check(entry, 'values file');
    }
  }

  private append(into: Resource[], added: readonly Resource[], referrer: Origin): void {
    const known = new Set(into.map(identityOf));
    const repeated: Resource[] = [];
    for (const resource of added) {
      if (known.has(identityOf(resource))) {
        repeated.push(resource);
        continue;
      }
      known.add(identityOf(resource));
      into.push(resource);
    }
    if (repeated.length === 0) return;
    const named = repeated.slice(0, 3).map(describeResource).join(', ') + (repeated.length > 3 ? ` and ${repeated.length - 3} more` : '');
    this.report(referrer, 'error', 'kustomize/duplicate-resource', `This adds ${named} a second time: kustomize refuses to build two objects with the same id.`);
  }

  private addResource(k: Kustomization, entry: TreeString, into: Resource[], stack: readonly string[]): void {
    const uri = resolvePath(k.folder, entry.value);
    const text = this.read(uri);
    if (text !== undefined) {
      this.resourceFiles.add(uri);
      this.append(into, this.objectsOf(this.parsed.parse(uri, text), entry), entry.origin);
      return;
    }
    if (!this.reader.isFolder(uri)) {
      if (isRemotePath(entry.value)) this.notRenderedBecause(entry.origin, `The resource "${entry.value}" is remote`);
      else this.report(entry.origin, 'error', 'kustomize/missing-path', `The resource "${entry.value}" does not exist.`);
      return;
    }
    if (stack.includes(uri)) {
      this.report(entry.origin, 'error', 'kustomize/build', `"${entry.value}" includes itself (a cycle of kustomizations).`);
      return;
    }
    const nested = this.load(uri);
    if (!nested) {
      this.report(entry.origin, 'error', 'kustomize/missing-path', `The folder "${entry.value}" has no kustomization.yaml.`);
      return;
    }
    if (nested.kind === 'Component') {
      this.report(entry.origin, 'error', 'kustomize/build', `"${entry.value}" is a Component: list it under "components", not "resources".`);
      return;
    }
    const built: Resource[] = [];
    this.accumulate(nested, built, [...stack, uri]);
    this.append(into, built, entry.origin);
  }

  private addComponent(k: Kustomization, entry: TreeString, into: Resource[], stack: readonly string[]): void {
    const uri = resolvePath(k.folder, entry.value);
    if (!this.reader.isFolder(uri)) {
      if (isRemotePath(entry.value)) this.notRenderedBecause(entry.origin, `The component "${entry.value}" is remote`);
      else this.report(entry.origin, 'error', 'kustomize/missing-path', this.read(uri) !== undefined ? `The component "${entry.value}" is a file; a component is a folder with a kustomization.yaml.` : `The component "${entry.value}" does not exist.`);
      return;
    }
    if (stack.includes(uri)) {
      this.report(entry.origin, 'error', 'kustomize/build', `"${entry.value}" includes itself (a cycle of kustomizations).`);
      return;
    }
    const component = this.load(uri);
    if (!component) {
      this.report(entry.origin, 'error', 'kustomize/missing-path', `The folder "${entry.value}" has no kustomization.yaml.`);
    } else if (component.kind !== 'Component') {
      this.report(entry.origin, 'error', 'kustomize/build', `"${entry.value}" is a Kustomization, not a Component ("kind: Component", apiVersion kustomize.config.k8s.io/v1alpha1).`);
    } else {
      this.accumulate(component, into, [...stack, uri]);
    }
  }

  /** The objects of a resource file; `referrer` is the `resources` entry that names it. */
  private objectsOf(parsed: ParsedText, referrer: TreeString): Resource[] {
    if (parsed.broken) {
      this.notRenderedBecause(referrer.origin, `"${referrer.value}" has YAML syntax errors`);
      return [];
    }
    const resources: Resource[] = [];
    for (const document of parsed.documents) {
      const tree = documentTree(parsed, document, 'resource');
      const items = stringIn(tree, ['kind']) === 'List' && tree.kind === 'map' ? mapsIn(field(tree, 'items')) : [tree];
      for (const item of items) {
        if (item.kind !== 'map' || !stringIn(item, ['kind']) || !stringIn(item, ['metadata', 'name'])) {
          this.report(referrer.origin, 'error', 'kustomize/build', `"${referrer.value}" holds a document without kind and metadata.name: kustomize cannot add it.`);
          continue;
        }
        resources.push({ tree: item, origin: item.origin, originalName: stringIn(item, ['metadata', 'name'])!, originalNamespace: stringIn(item, ['metadata', 'namespace']), hashed: false });
      }
    }
    return resources;
  }

  // ---- Generators ---------------------------------------------------------------------

  private generatorOptions(k: Kustomization, entry: TreeMap): GeneratorOptions {
    const globalMap = mapField(k.root, 'generatorOptions');
    const localMap = mapField(entry, 'options');
    return {
      labels: new Map([...stringPairs(globalMap && field(globalMap, 'labels')), ...stringPairs(localMap && field(localMap, 'labels'))]),
      annotations: new Map([...stringPairs(globalMap && field(globalMap, 'annotations')), ...stringPairs(localMap && field(localMap, 'annotations'))]),
      disableNameSuffixHash: booleanField(localMap, 'disableNameSuffixHash') ?? booleanField(globalMap, 'disableNameSuffixHash') ?? false,
      immutable: booleanField(localMap, 'immutable') ?? booleanField(globalMap, 'immutable') ?? false,
    };
  }

  private generatorSource(k: Kustomization, entry: TreeMap): GeneratorSource {
    const source: GeneratorSource = { literals: [], files: [], envs: [] };
    for (const literal of stringsIn(field(entry, 'literals'))) {
      if (literal.value.indexOf('=') <= 0) this.report(literal.origin, 'error', 'kustomize/schema', `A literal is "KEY=VALUE"; "${literal.value}" has no key.`);
      else source.literals.push({ text: literal.value, origin: literal.origin });
    }
    for (const file of stringsIn(field(entry, 'files'))) {
      const equals = file.value.indexOf('=');
      const key = equals > 0 ? file.value.slice(0, equals) : file.value.slice(file.value.lastIndexOf('/') + 1);
      const pathNode = { ...file, value: equals > 0 ? file.value.slice(equals + 1) : file.value };
      const read = this.readNamed(k, pathNode, 'file');
      if (read) source.files.push({ key, text: read.text, origin: file.origin });
    }
    const envs = [...stringsIn(field(entry, 'envs'))];
    const env = field(entry, 'env');
    if (isString(env)) envs.push(env);
    for (const envFile of envs) {
      const read = this.readNamed(k, envFile, 'env file');
      if (!read) continue;
      const { badLines } = parseEnvFile(read.text);
      if (badLines.length > 0) this.notRenderedBecause(envFile.origin, `Line ${badLines[0]} of "${envFile.value}" has no "=" (kustomize would read the value from its own environment)`);
      source.envs.push({ text: read.text, origin: envFile.origin });
    }
    return source;
  }

  private runGenerators(k: Kustomization, into: Resource[]): void {
    for (const kind of ['ConfigMap', 'Secret'] as const) {
      for (const entry of mapsIn(field(k.root, kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'))) {
        const nameNode = field(entry, 'name');
        if (!isString(nameNode)) {
          this.report(entry.origin, 'error', 'kustomize/schema', `A ${kind} generator needs a "name".`);
          continue;
        }
        const encode = kind === 'Secret' ? secretValue : (text: string) => text;
        const data = generatedData(this.generatorSource(k, entry), encode);
        const namespace = stringField(entry, 'namespace');
        const behavior = stringField(entry, 'behavior') ?? 'create';
        const options = this.generatorOptions(k, entry);
        if (behavior === 'create') {
          const generated = makeGenerated(kind, nameNode.value, namespace, data, options, nameNode.origin, stringField(entry, 'type'));
          this.generated.push({ kind, name: nameNode.value, namespace });
          this.append(into, [generated], nameNode.origin);
          continue;
        }
        const existing = into.find((resource) => kindOf(resource) === kind && resource.originalName === nameNode.value && (!namespace || namespaceOf(resource) === namespace));
        if (!existing) {
          this.report(nameNode.origin, 'error', 'kustomize/patch-target', `behavior "${behavior}" needs a ${kind} "${nameNode.value}" from the resources, and there is none.`);
          continue;
        }
        const current = existing.tree.entries.get('data');
        const merged = new Map(behavior === 'merge' && current?.kind === 'map' ? current.entries : []);
        for (const [key, value] of data) merged.set(key, value);
        existing.tree.entries.set('data', { kind: 'map', origin: nameNode.origin, entries: merged });
        existing.hashed = existing.hashed || !options.disableNameSuffixHash;
      }
    }
  }

  // ---- Transformers -------------------------------------------------------------------

  private runTransformers(k: Kustomization, into: Resource[]): void {
    for (const entry of stringsIn(field(k.root, 'patchesStrategicMerge'))) {
      const parsed = this.patchText(k, entry);
      if (parsed) applyStrategicPatches(parsed, into, undefined, this.report);
    }
    for (const entry of mapsIn(field(k.root, 'patches'))) this.applyPatchEntry(k, entry, into, false);
    const namespace = field(k.root, 'namespace');
    if (isString(namespace)) setNamespace(into, namespace.value, namespace.origin);
    const prefix = field(k.root, 'namePrefix');
    const suffix = field(k.root, 'nameSuffix');
    if (isString(prefix) || isString(suffix)) {
      addNamePrefixSuffix(into, isString(prefix) ? prefix.value : '', isString(suffix) ? suffix.value : '', (isString(prefix) ? prefix : suffix)!.origin);
    }
    addLabels(into, stringPairs(field(k.root, 'commonLabels')), { includeSelectors: true, includeTemplates: true });
    for (const entry of mapsIn(field(k.root, 'labels'))) {
      addLabels(into, stringPairs(field(entry, 'pairs')), { includeSelectors: booleanField(entry, 'includeSelectors') ?? false, includeTemplates: booleanField(entry, 'includeTemplates') ?? false });
    }
    addAnnotations(into, stringPairs(field(k.root, 'commonAnnotations')));
    for (const entry of mapsIn(field(k.root, 'patchesJson6902'))) this.applyPatchEntry(k, entry, into, true);
    for (const entry of mapsIn(field(k.root, 'replicas'))) {
      const name = field(entry, 'name');
      const count = field(entry, 'count');
      if (!isString(name) || count?.kind !== 'scalar' || !Number.isInteger(count.value)) continue;
      if (!setReplicas(into, name.value, count.value as number, count.origin)) {
        this.report(name.origin, 'error', 'kustomize/patch-target', `"replicas" names "${name.value}", but this kustomization produces no Deployment, StatefulSet, ReplicaSet or ReplicationController by that name.`);
      }
    }
    const images: ImageChange[] = mapsIn(field(k.root, 'images')).flatMap((entry) => {
      const name = stringField(entry, 'name');
      return name ? [{ name, newName: stringField(entry, 'newName'), newTag: stringIn(entry, ['newTag']) ?? numberText(field(entry, 'newTag')), digest: stringField(entry, 'digest'), origin: entry.origin }] : [];
    });
    if (images.length > 0) setImages(into, images);
  }

  /** A patch's text: inline (a string with a line break or a mapping) or a file next to the kustomization. */
  private patchText(k: Kustomization, entry: TreeString): ParsedText | undefined {
    if (entry.value.includes('\n') || /^\s*[[{]/.test(entry.value)) return parseInline(entry.origin.file, k.text, entry.origin.node, entry.value);
    const read = this.readNamed(k, entry, 'patch');
    if (!read) return undefined;
    this.patchFiles.add(read.uri);
    const parsed = this.parsed.parse(read.uri, read.text);
    if (parsed.broken) {
      this.notRenderedBecause(entry.origin, `The patch "${entry.value}" has YAML syntax errors`);
      return undefined;
    }
    return parsed;
  }

  /** One entry of `patches` or `patchesJson6902`: a path or inline patch, maybe a target. */
  private applyPatchEntry(k: Kustomization, entry: TreeMap, into: Resource[], jsonOnly: boolean): void {
    const pathNode = field(entry, 'path');
    const inline = field(entry, 'patch');
    let parsed: ParsedText | undefined;
    if (isString(inline)) parsed = parseInline(inline.origin.file, k.text, inline.origin.node, inline.value);
    else if (isString(pathNode)) parsed = this.patchText(k, { ...pathNode, value: pathNode.value.replace(/\n/g, '') });
    else {
      this.report(entry.origin, 'error', 'kustomize/schema', 'A patch needs a "path" or a "patch".');
      return;
    }
    if (parsed) applyPatch(entry, parsed, into, jsonOnly, this.report);
  }
}

function numberText(node: TreeNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'number' ? String(node.value) : undefined;
}

function renderedObject(resource: Resource): RenderedObject {
  const tree = resource.tree;
  return {
    apiVersion: apiVersionOf(resource),
    kind: kindOf(resource),
    namespace: namespaceOf(resource),
    name: nameOf(resource),
    value: treeToValue(tree) as Record<string, unknown>,
    source: locationOf(resource.origin),
    sourceOf: (path, at) => sourceAt(tree, path, at),
  };
}

export function buildKustomization(folderUri: string, reader: KustomizeReader, parsed = new ParsedFiles()): RenderResult {
  const build = new Build(reader, parsed);
  const kustomization = build.load(folderUri);
  const kustomizationUri = kustomization?.uri ?? `${folderUri}/${KUSTOMIZATION_FILE_NAMES[0]}`;
  if (!kustomization) {
    const why = build.problems.length > 0 ? 'its kustomization file is not a mapping' : 'the folder has no kustomization file';
    return { kustomizationUri, objects: [], problems: build.problems, dependencies: [...build.dependencies], resourceFiles: [], patchFiles: [], generated: [], notRendered: why };
  }
  const resources: Resource[] = [];
  build.accumulate(kustomization, resources, [folderUri]);
  // Hashes and reference fix-ups come last, once the content and names are final, as in kustomize.
  for (const resource of resources) {
    if (!resource.hashed) continue;
    const metadata = mapField(resource.tree, 'metadata');
    const name = metadata?.entries.get('name');
    if (metadata && name) setScalar(metadata, 'name', `${nameOf(resource)}-${contentHash(resource)}`, name.origin);
  }
  fixNameReferences(resources);
  return {
    kustomizationUri,
    objects: resources.map(renderedObject),
    problems: build.problems,
    dependencies: [...build.dependencies],
    resourceFiles: [...build.resourceFiles],
    patchFiles: [...build.patchFiles],
    generated: build.generated,
    notRendered: build.notRendered.length > 0 ? build.notRendered.join('; ') : undefined,
  };
}
