"""Prints the real argument specs of ansible.builtin modules as JSON, for generate-ansible-modules.ts.

    python3 scripts/ansible-argument-specs.py apt copy command ...

Run it with the Python that runs ansible-doc. `ansible-doc --json` does not say which options are
mutually exclusive, required together, required one of or required if: only the `AnsibleModule(...)`
call in each module's main() does. So AnsibleModule.__init__ is replaced by a recorder that keeps its
keyword arguments and stops main() right there, before the module reads input or touches the system.
Modules that are only documentation for an action plugin (debug, set_fact, include_tasks, ...) never
create an AnsibleModule and are printed as null.

Output: {"<short name>": {"argument_spec": {...}, "mutually_exclusive": [...], ...} | null}.
"""
import contextlib
import importlib
import json
import sys

from ansible.module_utils import basic


class _Recorded(BaseException):
    """Raised by the recorder; a BaseException so that modules' `except Exception` cannot swallow it."""


_KEPT = ('argument_spec', 'mutually_exclusive', 'required_one_of', 'required_together', 'required_if')


def _record(_self, *args, **kwargs):
    if args:
        kwargs.setdefault('argument_spec', args[0])
    spec = dict(kwargs.get('argument_spec') or {})
    if kwargs.get('add_file_common_args'):
        for name, option in basic.FILE_COMMON_ARGUMENTS.items():
            spec.setdefault(name, option)
    recorded = {key: kwargs[key] for key in _KEPT if kwargs.get(key)}
    recorded['argument_spec'] = spec
    raise _Recorded(recorded)


def argument_spec_of(name):
    try:
        module = importlib.import_module('ansible.modules.' + name)
    except ImportError as error:
        print('%s: cannot import: %s' % (name, error), file=sys.stderr)
        return None
    main = getattr(module, 'main', None)
    if main is None:
        return None
    try:
        main()
    except _Recorded as recorded:
        return recorded.args[0]
    except BaseException as error:  # noqa: B902 - a module failing here must not stop the others
        print('%s: main() stopped before AnsibleModule: %r' % (name, error), file=sys.stderr)
    return None


def main():
    basic.AnsibleModule.__init__ = _record
    specs = {}
    # Modules may print while they start; keep stdout for the JSON alone.
    with contextlib.redirect_stdout(sys.stderr):
        for name in sys.argv[1:]:
            specs[name] = argument_spec_of(name)
    json.dump(specs, sys.stdout, sort_keys=True, default=repr)


if __name__ == '__main__':
    main()
