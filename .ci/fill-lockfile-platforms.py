# Adds the other platforms' optional packages (esbuild, biome, blake-hash binaries) that this npm
# leaves out of package-lock.json while its `npm ci` still requires them. Run after `npm install`.
import json, subprocess, sys
path = sys.argv[1]
lock = json.load(open(path))
pk = lock['packages']
added = 0
for key, entry in list(pk.items()):
    for name, version in (entry.get('optionalDependencies') or {}).items():
        base = key + '/node_modules/' + name if key else 'node_modules/' + name
        if ('node_modules/' + name) in pk or base in pk:
            continue
        out = subprocess.run(['npm', 'view', f'{name}@{version}', 'os', 'cpu', 'libc', '--json'], capture_output=True, text=True).stdout
        meta = json.loads(out or '{}')
        item = {'version': version, 'optional': True}
        if entry.get('dev'): item['dev'] = True
        for field in ('os', 'cpu', 'libc'):
            if meta.get(field): item[field] = meta[field]
        pk['node_modules/' + name] = item
        added += 1
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(path, 'w'), indent=2)
open(path, 'a').write('\n')
print('added', added)
