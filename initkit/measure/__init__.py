"""Measurements of a network and the theory they are held against: probe, mean-field theory, Jacobian
spectra, LSUV, layer-wise pretraining and the diagnostics of notebook 06. Imports core and nn."""
