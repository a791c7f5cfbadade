-- An incident's summary as HTML, rendered from its Markdown when the summary is saved (on a worker
-- thread, see src/render/summaries.ts), so that no page view renders it. NULL for incidents saved
-- before this column existed, and for the demo: those are rendered when first shown.
ALTER TABLE incidents ADD COLUMN summary_html TEXT;
