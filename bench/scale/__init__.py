"""The scale scenario: 100 images x 100-300 tags, a 500-file config repo, and the known answers."""
