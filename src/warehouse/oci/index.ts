export { discoverImages, type DiscoverImagesOptions } from "./discover-images.js";
export { createRegistryClient, registryScheme, type RegistryClient, type RegistryClientOptions } from "./registry-client.js";
export { parsePlatform, readImage, type ImageDetails, type Platform } from "./read-image.js";
