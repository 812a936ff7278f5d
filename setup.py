"""Builds the loopsim extension with CMake for `pip install --no-build-isolation .`
(docs/python.md): configures build-python/ (or $LOOPSIM_BUILD_DIR, e.g. an existing build
tree) for /usr/bin/python3's ABI, builds the loopsim_python target and puts the extension into
the package. The module keeps using this checkout's arch-specs/, workloads/, mappings/ and
scripts/ (its path is compiled in), so install from a checkout that stays in place."""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.environ.get("LOOPSIM_BUILD_DIR", os.path.join(ROOT, "build-python"))
        if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
            subprocess.check_call(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                                   "-DLOOPSIM_BUILD_PYTHON=ON", "-DLOOPSIM_BUILD_TESTS=OFF",
                                   "-DLOOPSIM_BUILD_BENCH=OFF",
                                   f"-DLOOPSIM_PYTHON_EXECUTABLE={sys.executable}"])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(["cmake", "--build", build, "--target", "loopsim_python",
                               "-j", jobs])
        built = os.path.join(build, "python", "loopsim")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        for name in os.listdir(built):
            if name.startswith("_core") and name.endswith(".so"):
                shutil.copyfile(os.path.join(built, name), target)
                return
        raise RuntimeError(f"the CMake build left no _core extension in {built}")


setup(ext_modules=[Extension("loopsim._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
