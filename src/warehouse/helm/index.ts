export { discoverCharts, type DiscoverChartsOptions } from "./discover-charts.js";
export { discoverOciCharts, type ListOciTags } from "./discover-oci-charts.js";
export { MAX_INDEX_BYTES, readChartIndex, type ChartIndex } from "./read-chart-index.js";
