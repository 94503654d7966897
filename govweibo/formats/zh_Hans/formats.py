# Django's zh_Hans formats print 180000 with no separator. Chinese statistical reports and the
# monitoring platforms' exports group by thousands (180,000); so do we. Everything else is Django's.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
