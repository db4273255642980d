"""The trainers\x27 workflow: inbox, scrubbing, writing examples, retraining, the model registry."""
