"""The pipeline: runs report notebooks with papermill, exports HTML and PDF, builds years and profiles."""
