"""Register readers: one module per register family, one result shape.

:mod:`~kil_analysis.readers.registers.companies` (Companies House, CIC numbers),
:mod:`~kil_analysis.readers.registers.charities` (Charity Commission tables, UK-CAT, charity
lookups), :mod:`~kil_analysis.readers.registers.societies` (co-operatives, mutuals, social
housing providers), :mod:`~kil_analysis.readers.registers.public_bodies` (councils, NHS,
schools, academy trusts, police, fire, universities, government) and
:mod:`~kil_analysis.readers.registers.postcodes` (ONS Postcode Directory, Code-Point Open,
district lookup). Every loader returns :data:`~kil_analysis.readers.registers.shape.ORG_COLUMNS`
rows; :func:`~kil_analysis.readers.registers.discover.load_registers` finds them by layout.
"""
