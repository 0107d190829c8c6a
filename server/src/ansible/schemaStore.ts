/**
 * The ansible-lint JSON schemas (schemas/ansible/, generated) at run time. Reading files is
 * injected (SchemaFiles); ajv and each validator are created on first use, once, so a
 * workspace without Ansible never pays for them.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import type { SchemaFiles } from '../kubernetes/schemaStore';

export type JsonSchema = Record<string, unknown>;

/** The schema files, by the file kind they describe. */
export const ANSIBLE_SCHEMA_FILES = ['playbook', 'tasks', 'vars', 'meta', 'role-arg-spec', 'requirements', 'inventory'] as const;
export type AnsibleSchemaName = (typeof ANSIBLE_SCHEMA_FILES)[number];

/** The definitions of playbook.json the checks validate plays and tasks against. */
export type AnsibleDefinition = 'play' | 'task' | 'block' | 'ansible.builtin.import_playbook';

export class AnsibleSchemaStore {
  private ajv: Ajv | undefined;
  private readonly documents = new Map<AnsibleSchemaName, JsonSchema | null>();
  private readonly validators = new Map<string, ValidateFunction | null>();

  constructor(private readonly files: SchemaFiles) {}

  /** A schema file's content, or undefined when it is not installed. */
  document(name: AnsibleSchemaName): JsonSchema | undefined {
    if (!this.documents.has(name)) {
      const text = this.files.read(`ansible/${name}.json`);
      this.documents.set(name, text === undefined ? null : (JSON.parse(text) as JsonSchema));
    }
    return this.documents.get(name) ?? undefined;
  }

  /** A definition of playbook.json (`$defs/play`, `$defs/task`, …). */
  definition(name: AnsibleDefinition): JsonSchema | undefined {
    const defs = this.document('playbook')?.$defs as Record<string, JsonSchema> | undefined;
    return defs?.[name];
  }

  /** The validator of a whole schema file. */
  validatorFor(name: AnsibleSchemaName): ValidateFunction | undefined {
    return this.compile(name, () => {
      const id = this.document(name)?.$id;
      return typeof id === 'string' ? { $ref: id } : undefined;
    });
  }

  /** The validator of a playbook.json definition. */
  definitionValidator(name: AnsibleDefinition): ValidateFunction | undefined {
    return this.compile(`playbook#${name}`, () => {
      const id = this.document('playbook')?.$id;
      return typeof id === 'string' && this.definition(name) ? { $ref: `${id}#/$defs/${name}` } : undefined;
    });
  }

  private compile(key: string, schema: () => JsonSchema | undefined): ValidateFunction | undefined {
    if (!this.validators.has(key)) {
      const ajv = this.instance();
      const wrapper = schema();
      this.validators.set(key, wrapper ? ajv.compile(wrapper) : null);
    }
    return this.validators.get(key) ?? undefined;
  }

  /** One ajv for every file, so their cross-references (meta.json → role-arg-spec.json) resolve by `$id`. */
  private instance(): Ajv {
    if (!this.ajv) {
      this.ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, allowUnionTypes: true, verbose: true });
      for (const name of ANSIBLE_SCHEMA_FILES) {
        const document = this.document(name);
        if (document) this.ajv.addSchema(document);
      }
    }
    return this.ajv;
  }
}
