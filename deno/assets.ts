// The files served under /assets/, read once at start from the repository
// (src/pages/asset-manifest.ts says which).
import { ASSET_FILES, buildAssetBundle } from '../src/pages/asset-manifest.ts';
import type { AssetBundle } from '../src/pages/assets.ts';

export function readAssets(root: URL): AssetBundle {
  const texts = new Map(Object.values(ASSET_FILES).map(({ file }) => [file, Deno.readTextFileSync(new URL(file, root))]));
  return buildAssetBundle((file) => texts.get(file));
}
