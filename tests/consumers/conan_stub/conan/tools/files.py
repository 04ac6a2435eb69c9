import fnmatch
import os
import shutil


def copy(conanfile, pattern, src, dst, keep_path=True, excludes=None):
    """Conan's copy(): files under src matching pattern (relative path) copied into dst."""
    copied = []
    for root, _dirs, files in os.walk(src):
        for name in files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, src)
            if rel.startswith("build" + os.sep) or not fnmatch.fnmatch(rel, pattern):
                continue
            out = os.path.join(dst, rel if keep_path else name)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copy2(full, out)
            copied.append(out)
    return copied
