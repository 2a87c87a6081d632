"""The four papers of the claim library."""

from verify.claims import Paper

ALIGN = Paper("ALIGN", "alignment", "On Alignment in Deep Linear Neural Networks",
              "001_5ad0242986dc6fd5.txt (appendix also in 000_94d032a81702543b.txt)")
CONV = Paper("CONV", "convergence",
             "A Convergence Analysis of Gradient Descent for Deep Linear Neural Networks",
             "002_e19624c72e9662f5.txt")
BIAS = Paper("BIAS", "implicit_bias",
             "A Unifying View on Implicit Bias in Training Linear Neural Networks",
             "003_2b80ef1235f532de.txt")
INIT = Paper("INIT", "initialization",
             "On the Role of Initialization on the Implicit Bias in Deep Learning",
             "004_bae8d3aeafe845f9.txt")

PAPERS = (ALIGN, CONV, BIAS, INIT)
