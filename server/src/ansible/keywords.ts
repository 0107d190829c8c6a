/**
 * Ansible's play and task keywords (ansible-core 2.14's Play, Block and Task attributes).
 * The parser needs them to tell a task's module key from its keywords; the schema has them
 * too, but the parser must work without loading it.
 */

/** Keywords of a task (and of a handler), besides `args`, `loop*` and `with_*`. */
export const TASK_KEYWORDS: ReadonlySet<string> = new Set([
  'action', 'any_errors_fatal', 'args', 'async', 'become', 'become_exe', 'become_flags', 'become_method', 'become_user',
  'changed_when', 'check_mode', 'collections', 'connection', 'debugger', 'delay', 'delegate_facts', 'delegate_to', 'diff',
  'environment', 'failed_when', 'ignore_errors', 'ignore_unreachable', 'listen', 'local_action', 'loop', 'loop_control',
  'module_defaults', 'name', 'no_log', 'notify', 'poll', 'port', 'register', 'remote_user', 'retries', 'run_once', 'tags',
  'throttle', 'timeout', 'until', 'vars', 'when',
]);

/** Keywords of a block: the task keywords that apply to a group of tasks, and the three lists. */
export const BLOCK_KEYWORDS: ReadonlySet<string> = new Set([
  'always', 'any_errors_fatal', 'become', 'become_exe', 'become_flags', 'become_method', 'become_user', 'block', 'check_mode',
  'collections', 'connection', 'debugger', 'delegate_facts', 'delegate_to', 'diff', 'environment', 'ignore_errors',
  'ignore_unreachable', 'module_defaults', 'name', 'no_log', 'notify', 'port', 'remote_user', 'rescue', 'run_once', 'tags',
  'throttle', 'timeout', 'vars', 'when',
]);

/** The lists of a block, in the order Ansible runs them. */
export const BLOCK_LISTS = ['block', 'rescue', 'always'] as const;

/** The task lists of a play, in the order Ansible runs them. */
export const PLAY_TASK_LISTS = ['pre_tasks', 'tasks', 'post_tasks'] as const;

/** Play keywords no task takes: in a task, they mean a play was put in a task list. */
export const PLAY_ONLY_KEYWORDS: ReadonlySet<string> = new Set([
  'hosts', 'tasks', 'pre_tasks', 'post_tasks', 'handlers', 'roles', 'gather_facts', 'vars_files', 'vars_prompt', 'serial', 'strategy',
]);

/** Keywords of a play (ansible-core's Play attributes). */
export const PLAY_KEYWORDS: ReadonlySet<string> = new Set([
  ...PLAY_ONLY_KEYWORDS, 'any_errors_fatal', 'become', 'become_exe', 'become_flags', 'become_method', 'become_user', 'check_mode',
  'collections', 'connection', 'debugger', 'diff', 'environment', 'fact_path', 'force_handlers', 'gather_subset', 'gather_timeout',
  'ignore_errors', 'ignore_unreachable', 'max_fail_percentage', 'module_defaults', 'name', 'no_log', 'order', 'port', 'remote_user',
  'run_once', 'tags', 'throttle', 'timeout', 'user', 'vars', 'when',
]);

export const IMPORT_PLAYBOOK_KEYS: ReadonlySet<string> = new Set(['import_playbook', 'ansible.builtin.import_playbook']);

/** Whether a task key is a loop (`loop`, `loop_control`, `with_items`, …) rather than a module. */
export function isLoopKeyword(key: string): boolean {
  return key === 'loop' || key === 'loop_control' || key.startsWith('with_');
}

/** Whether a key of a task mapping is a keyword; every other key is a module (an action). */
export function isTaskKeyword(key: string): boolean {
  return TASK_KEYWORDS.has(key) || isLoopKeyword(key);
}
