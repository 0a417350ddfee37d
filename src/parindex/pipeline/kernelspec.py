"""The kernel: the project's kernelspec found and checked, without loading the notebook libraries."""

from __future__ import annotations

import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from parindex.errors import BuildError

KERNEL = "parindex"
_INSTALL_KERNEL = f'python -m ipykernel install --sys-prefix --name {KERNEL} --display-name "{KERNEL}"'


def check_kernel(name: str = KERNEL) -> Path:
    """Finds the project's kernelspec and checks that its interpreter exists.

    Args:
        name: The kernelspec's name.

    Returns:
        The interpreter the kernel runs.

    Raises:
        BuildError: The kernelspec is not installed, is not this environment's, or its interpreter is gone.
    """
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise BuildError(
            f"Jupyter kernel '{name}' is not installed. Run `make setup`, or in the project's virtualenv: "
            f"{_INSTALL_KERNEL}"
        ) from None
    interpreter = Path(spec.argv[0])
    if not interpreter.is_file():
        raise BuildError(
            f"Jupyter kernel '{name}' runs {interpreter}, which does not exist. "
            f"Reinstall it with `make setup`, or: {_INSTALL_KERNEL}"
        )
    here = Path(sys.prefix).resolve()
    if not Path(spec.resource_dir).resolve().is_relative_to(here):
        raise BuildError(
            f"Jupyter kernel '{name}' is found at {spec.resource_dir}, outside this environment ({here}), "
            f"so it may run another interpreter. Remove it (jupyter kernelspec remove {name}), then run "
            f"`make setup`, or: {_INSTALL_KERNEL}"
        )
    return interpreter
