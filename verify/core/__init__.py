"""The vectorized numeric core: batched deep linear networks, losses, gradients, GD and
gradient flow, tensor networks, measurements, and their high-precision twin."""
