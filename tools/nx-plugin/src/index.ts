export { createNodes, type PublishPluginOptions } from './createNodes.ts';
