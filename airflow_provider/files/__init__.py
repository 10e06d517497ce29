"""Where a media file's bytes come from (a local path or Airflow's object storage) and what they are (the type its
content shows, a video's duration from its MP4 header), read without loading the file whole."""
