/** The HTML match report: pure rendering of data the report stage gathers. */
export { renderReportHtml } from './render';
export { escapeHtml } from './html';
export { weightHistogram, stackBins, type Bin, type StackedBin } from './histogram';
export type { Contribution, PairExplanation, ReportData, SourceQuality, WeightHistogram } from './report-data';
