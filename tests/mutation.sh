#!/usr/bin/env bash
# Mutation testing of the library with Stryker.NET (slow: not part of CI). Results: tests/StrykerOutput/<date>/reports.
# Usage: bash tests/mutation.sh
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore
dotnet stryker --config-file stryker-config.json "$@"
